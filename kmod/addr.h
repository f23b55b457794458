/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A key's address in the kernel (addr.c): the kernel's SHA-512 and the
 * pure rule of addr_derive.c, which the tool and the tests share.
 */
#ifndef _KN_ADDR_KERNEL_H
#define _KN_ADDR_KERNEL_H

#include <linux/types.h>

int kn_addr_init(void);
void kn_addr_uninit(void);
int kn_addr_of_key(const u8 *key, const u8 *prefix, unsigned int plen,
		   u8 *out);

#endif /* _KN_ADDR_KERNEL_H */
