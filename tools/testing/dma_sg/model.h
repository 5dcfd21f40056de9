/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A deliberately simple reference model of a dma_sg table: a flat array of
 * (addr, len) with 128-bit arithmetic, so that it cannot share the
 * library's wrap-around mistakes.  check_table() compares a real table
 * against it and aborts loudly on the first difference.
 */
#ifndef _DMA_SG_TEST_MODEL_H
#define _DMA_SG_TEST_MODEL_H

#include <linux/slab.h>
#include <linux/dma_sg.h>

/* One past the highest dma_addr_t / phys_addr_t. */
#define DMA_TOP		((__uint128_t)(dma_addr_t)~(dma_addr_t)0 + 1)
#define PHYS_TOP	((__uint128_t)(phys_addr_t)~(phys_addr_t)0 + 1)

/* Returned by the model for an operation too big to check cheaply. */
#define MODEL_SKIP	1

struct model_ent {
	u64 addr;
	u64 len;
};

struct model {
	struct model_ent *ents;
	size_t n;
	size_t cap;
	u64 len;
	bool merge;
};

extern size_t model_max_ents;
extern unsigned long model_checks;
extern const char *test_name;

void model_init(struct model *m, bool merge);
void model_free(struct model *m);
void model_copy(struct model *dst, const struct model *src);
int model_append(struct model *m, dma_addr_t addr, u64 len);
int model_append_split(struct model *m, dma_addr_t addr, u64 len,
		       u64 max_seg, u64 mask);
int model_truncate(struct model *m, u64 n);

/* Storage a table was given at init, or NULL; see check_table(). */
struct table_info {
	const struct dma_sg_chunk *caller;
	u32 caller_ents;
};

u64 table_chunks(const struct table_info *ti, u64 nents);
u64 table_chunk_end(const struct table_info *ti, u64 chunks);
void check_table(const char *what, const struct dma_sg_table *t,
		 const struct table_info *ti, const struct model *m,
		 unsigned int blk_shift);
void check_phys(phys_addr_t paddr, u64 len, unsigned int hint, u32 bar);

void fail(const char *fmt, ...);

#define CHECK(cond) do {						\
	if (!(cond))							\
		fail("%s:%d: %s\n", __FILE__, __LINE__, #cond);	\
} while (0)

#define EXPECT_EQ(a, b, what) do {					\
	u64 __a = (u64)(a), __b = (u64)(b);				\
	if (__a != __b)							\
		fail("%s:%d: %s: %s = %#llx, expected %s = %#llx\n",	\
		     __FILE__, __LINE__, what, #a,			\
		     (unsigned long long)__a, #b,			\
		     (unsigned long long)__b);				\
} while (0)

int ops_run(const u8 *data, size_t size);

#endif
