#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The primitives of WireGuard's Noise_IKpsk2 (whitepaper section 5.4), for
the project's Python tools: selftests/unit/noise_ref.py (the known-answer
vectors) and selftests/tools/hsflood.py (handshake floods).  BLAKE2s and
its HMAC from hashlib; X25519 and the AEADs from libsodium via ctypes (no
module outside the standard library).  Shares no code with kmod/noise.c.
"""
import ctypes
import ctypes.util
import hashlib
import hmac

CONSTRUCTION = b"Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s"
IDENTIFIER = b"WireGuard v1 zx2c4 Jason@zx2c4.com"
LABEL_MAC1 = b"mac1----"
LABEL_COOKIE = b"cookie--"

# X25519 and the AEADs from libsodium: python3-cryptography's key objects
# cost ~15 ms each under TCG, libsodium's functions ~1 ms.
_so = ctypes.CDLL(ctypes.util.find_library("sodium") or "libsodium.so.23")
if _so.sodium_init() < 0:
    raise SystemExit("noise_prims: sodium_init failed")
_ull = ctypes.c_ulonglong


def HASH(x):
    return hashlib.blake2s(x).digest()


def MAC(key, x):
    return hashlib.blake2s(x, key=key, digest_size=16).digest()


def HMAC(key, x):
    return hmac.new(key, x, hashlib.blake2s).digest()


def KDF(n, ck, x):
    t = HMAC(ck, x)
    out, prev = [], b""
    for i in range(1, n + 1):
        prev = HMAC(t, prev + bytes([i]))
        out.append(prev)
    return out


def pub(priv):
    out = ctypes.create_string_buffer(32)
    _so.crypto_scalarmult_curve25519_base(out, priv)
    return out.raw


def DH(priv, pubkey):
    out = ctypes.create_string_buffer(32)
    if _so.crypto_scalarmult_curve25519(out, priv, pubkey):
        raise SystemExit("noise_prims: low-order point")
    return out.raw


def AEAD(key, counter, plain, ad):
    nonce = bytes(4) + counter.to_bytes(8, "little")
    out = ctypes.create_string_buffer(len(plain) + 16)
    _so.crypto_aead_chacha20poly1305_ietf_encrypt(
        out, None, plain, _ull(len(plain)), ad, _ull(len(ad)), None, nonce, key)
    return out.raw


def AEAD_OPEN(key, counter, ct, ad):
    """ChaCha20-Poly1305 open; None when the tag does not verify."""
    if len(ct) < 16:
        return None
    nonce = bytes(4) + counter.to_bytes(8, "little")
    out = ctypes.create_string_buffer(len(ct))
    if _so.crypto_aead_chacha20poly1305_ietf_decrypt(
            out, None, None, ct, _ull(len(ct)), ad, _ull(len(ad)), nonce, key):
        return None
    return out.raw[:len(ct) - 16]


def XSEAL(key, nonce, plain, ad):
    out = ctypes.create_string_buffer(len(plain) + 16)
    _so.crypto_aead_xchacha20poly1305_ietf_encrypt(
        out, None, plain, _ull(len(plain)), ad, _ull(len(ad)), None, nonce, key)
    return out.raw


def XOPEN(key, nonce, ct, ad):
    out = ctypes.create_string_buffer(len(ct))
    if _so.crypto_aead_xchacha20poly1305_ietf_decrypt(
            out, None, None, ct, _ull(len(ct)), ad, _ull(len(ad)), nonce, key):
        return None
    return out.raw[:len(ct) - 16]


def le32(v):
    return v.to_bytes(4, "little")
