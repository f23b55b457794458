/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KN_VERSION_H
#define _KN_VERSION_H

/* KN_VERSION comes from the tree's VERSION file, passed in by Kbuild. */
#ifndef KN_VERSION
#error "KN_VERSION must be defined by the build (see Kbuild)"
#endif

#endif /* _KN_VERSION_H */
