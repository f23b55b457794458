/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal test harness for keynet's userspace unit tests.  Each
 * selftests/unit/test_*.c is one program; its first line
 *   // kn-sources: a.c b.c
 * names the kmod/ pure files it links.  selftests/unit/run builds every
 * test with ASan + UBSan and runs it; a test prints TAP-like lines and
 * exits non-zero when any check failed.
 */
#ifndef _KN_TEST_H
#define _KN_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int kn_test_fails;
static int kn_test_checks;

#define KN_CHECK(cond, ...)						\
	do {								\
		kn_test_checks++;					\
		if (!(cond)) {						\
			kn_test_fails++;				\
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__,	\
				__LINE__, #cond);			\
			fprintf(stderr, " " __VA_ARGS__);		\
			fputc('\n', stderr);				\
		}							\
	} while (0)

#define KN_CHECK_MEM(a, b, n, ...)					\
	do {								\
		kn_test_checks++;					\
		if (memcmp((a), (b), (n))) {				\
			kn_test_fails++;				\
			fprintf(stderr, "FAIL %s:%d: %s != %s: ",	\
				__FILE__, __LINE__, #a, #b);		\
			fprintf(stderr, " " __VA_ARGS__);		\
			fputc('\n', stderr);				\
			kn_test_hexdiff((const void *)(a),		\
					(const void *)(b), (n));	\
		}							\
	} while (0)

static inline void kn_test_hexdiff(const unsigned char *a,
				   const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			fprintf(stderr, "  byte %zu: got %02x want %02x\n",
				i, a[i], b[i]);
}

/* Run one named test function and print its result line. */
#define KN_RUN(fn)							\
	do {								\
		int before = kn_test_fails;				\
		fn();							\
		printf("%s %s\n", kn_test_fails == before ?		\
		       "ok" : "not ok", #fn);				\
	} while (0)

static inline int kn_test_done(void)
{
	printf("# %d checks, %d failed\n", kn_test_checks, kn_test_fails);
	return kn_test_fails ? 1 : 0;
}

#endif /* _KN_TEST_H */
