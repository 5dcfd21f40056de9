/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One task, with the fault injection counter: write n > 0 to
 * current->fail_nth and the n-th fault point reached from then on fails.
 */
#ifndef _DMA_SG_SHIM_SCHED_H
#define _DMA_SG_SHIM_SCHED_H

struct task_struct {
	unsigned int fail_nth;
};

extern struct task_struct shim_task;
#define current (&shim_task)

#endif
