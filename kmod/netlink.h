/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KN_NETLINK_H
#define _KN_NETLINK_H

int kn_genl_init(void);
void kn_genl_uninit(void);

#endif /* _KN_NETLINK_H */
