/* SPDX-License-Identifier: GPL-2.0 */
/*
 * import.c: what the importers (import_cjdns.c, import_tayga.c) share:
 * the generated keynet.conf text, built in a memory stream, checked with
 * the conf parser and only then printed, and the warnings for what has no
 * keynet equivalent.
 */
#ifndef KEYNET_TOOL_IMPORT_H
#define KEYNET_TOOL_IMPORT_H

#include "conf.h"

struct kn_import {
	const char *path;
	const char *dev;
	FILE *out;
	char *buf;
	size_t len;
	int warnings;
	int status;		/* exit status for problems found */
	bool secret;		/* the output holds a private key */
};

/* One stderr line per thing that has no keynet equivalent. */
void kn_imp_warn(struct kn_import *im, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * "keynet: FILE line N: note: ..." on stderr: something the import leaves
 * out on purpose (line 0: the file as a whole).
 */
void kn_imp_note(struct kn_import *im, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* "keynet: FILE line N: ..." on stderr; the import fails with exit 2. */
void kn_imp_error(struct kn_import *im, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A comment line, wrapped by the caller; no newline inside a value. */
void kn_imp_comment(struct kn_import *im, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A value put in the file: one line, no control characters. */
void kn_imp_clean(char *dst, size_t size, const char *src);
int kn_imp_begin(struct kn_import *im, const char *path, const char *dev);
/* Parse the text back, then print it; returns the exit status. */
int kn_imp_finish(struct kn_import *im);
/* The whole of @path (- for stdin); NULL after one error line. */
char *kn_imp_read_all(const char *path, size_t *len);

int kn_import_cjdns(const char *path, const char *dev);
int kn_import_tayga(const char *path, const char *dev);

#endif /* KEYNET_TOOL_IMPORT_H */
