/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit helper to reach the variable behind a debugfs knob.
 */
#ifndef _KUNIT_DEBUGFS_H
#define _KUNIT_DEBUGFS_H

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kconfig.h>

/**
 * kunit_debugfs_var() - the variable behind a debugfs file
 * @dir: a directory at the top of debugfs, such as "failslab".
 * @name: a file in it made by debugfs_create_bool(), debugfs_create_u32()
 *	or their kin, which keep the variable's address in the inode.
 *
 * Lets a test read a subsystem's counters and turn its knobs for its
 * own duration, without a mounted debugfs.
 *
 * Return: the variable, or NULL when debugfs or the file is missing.
 */
static inline void *kunit_debugfs_var(const char *dir, const char *name)
{
	struct dentry *parent, *d;
	void *p = NULL;

	if (!IS_ENABLED(CONFIG_DEBUG_FS))
		return NULL;
	parent = debugfs_lookup(dir, NULL);
	if (IS_ERR_OR_NULL(parent))
		return NULL;
	d = debugfs_lookup(name, parent);
	if (!IS_ERR_OR_NULL(d)) {
		p = d_inode(d)->i_private;
		dput(d);
	}
	dput(parent);
	return p;
}

#endif /* _KUNIT_DEBUGFS_H */
