// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace tests for lib/dma_sg/dma_sg.c: every operation with known
 * answers, an allocation failure at every allocation point, then random
 * operation sequences against the reference model.
 *
 *   harness [-n INPUTS] [FILE...]
 *
 * FILEs are fuzzer inputs to replay instead of the tests.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "model.h"

#define DMA_BITS	(8 * (unsigned int)sizeof(dma_addr_t))
#define DMA_MAX		((u64)(dma_addr_t)~(dma_addr_t)0)
#define SZ_4K		0x1000ULL
#define SZ_64K		0x10000ULL
#define CE		DMA_SG_CHUNK_ENTS
/* Addresses only used when dma_addr_t has 64 bits. */
#define DA(x)		((dma_addr_t)(x))

static const struct table_info no_caller;

/* Compare @t with exactly @n entries @e; the model does the walking. */
static void expect(const char *what, const struct dma_sg_table *t,
		   const struct table_info *ti, const struct model_ent *e,
		   size_t n)
{
	struct model m;

	model_init(&m, false);
	for (size_t i = 0; i < n; i++)
		if (model_append(&m, e[i].addr, e[i].len))
			fail("%s: bad expectation %zu\n", what, i);
	m.merge = !(t->flags & DMA_SG_NO_MERGE);
	check_table(what, t, ti, &m, 0);
	model_free(&m);
}

#define ENTS(...)	((const struct model_ent[]){ __VA_ARGS__ })
#define EXPECT(t, ti, ...)						\
	expect(__func__, t, ti, ENTS(__VA_ARGS__),			\
	       sizeof(ENTS(__VA_ARGS__)) / sizeof(struct model_ent))
#define EXPECT_EMPTY(t, ti)	expect(__func__, t, ti, NULL, 0)
#define EXPECT_RET(call, ret)	EXPECT_EQ((s64)(call), (s64)(ret), __func__)

static void test_empty(void)
{
	struct dma_sg_table t;
	unsigned long allocs = shim_allocs;

	dma_sg_table_init(&t, 0);
	EXPECT_EMPTY(&t, &no_caller);
	EXPECT_RET(dma_sg_truncate(&t, 1), -EINVAL);
	EXPECT_RET(dma_sg_truncate(&t, 0), 0);
	dma_sg_table_free(&t);
	dma_sg_table_free(&t);
	EXPECT_EMPTY(&t, &no_caller);
	EXPECT_EQ(shim_allocs, allocs, "empty table allocated");
}

static void test_append_merge(void)
{
	struct dma_sg_table t, nm;

	dma_sg_table_init(&t, 0);
	dma_sg_table_init(&nm, DMA_SG_NO_MERGE);
	EXPECT_RET(dma_sg_append(&t, SZ_4K, SZ_4K, GFP_KERNEL), 0);
	EXPECT_RET(dma_sg_append(&t, 2 * SZ_4K, 3 * SZ_4K, GFP_KERNEL), 0);
	EXPECT_RET(dma_sg_append(&t, 6 * SZ_4K, 1, GFP_KERNEL), 0);
	EXPECT_RET(dma_sg_append(&t, 6 * SZ_4K + 1, 1, GFP_KERNEL), 0);
	/* Going backwards is never a merge. */
	EXPECT_RET(dma_sg_append(&t, 0, SZ_4K, GFP_KERNEL), 0);
	EXPECT(&t, &no_caller, { SZ_4K, 4 * SZ_4K }, { 6 * SZ_4K, 2 },
	       { 0, SZ_4K });

	EXPECT_RET(dma_sg_append(&nm, SZ_4K, SZ_4K, GFP_KERNEL), 0);
	EXPECT_RET(dma_sg_append(&nm, 2 * SZ_4K, SZ_4K, GFP_KERNEL), 0);
	EXPECT(&nm, &no_caller, { SZ_4K, SZ_4K }, { 2 * SZ_4K, SZ_4K });
	dma_sg_table_free(&t);
	dma_sg_table_free(&nm);
}

static void test_append_errors(void)
{
	struct dma_sg_table t;

	dma_sg_table_init(&t, 0);
	EXPECT_RET(dma_sg_append(&t, SZ_4K, 0, GFP_KERNEL), -EINVAL);
	EXPECT_RET(dma_sg_append(&t, DMA_MAX, 2, GFP_KERNEL), -EOVERFLOW);
	EXPECT_RET(dma_sg_append(&t, 1, DMA_MAX + 1ULL, GFP_KERNEL),
		   DMA_BITS == 64 ? -EINVAL : -EOVERFLOW);
	EXPECT_RET(dma_sg_append(&t, 0, U64_MAX, GFP_KERNEL),
		   DMA_BITS == 64 ? 0 : -EOVERFLOW);
	dma_sg_table_free(&t);
	EXPECT_EMPTY(&t, &no_caller);

	/* The last byte of the address space is usable. */
	EXPECT_RET(dma_sg_append(&t, DMA_MAX, 1, GFP_KERNEL), 0);
	EXPECT_RET(dma_sg_append(&t, DMA_MAX - 15, 16, GFP_KERNEL), 0);
	EXPECT_RET(dma_sg_append(&t, DMA_MAX - 15, 17, GFP_KERNEL),
		   -EOVERFLOW);
	EXPECT(&t, &no_caller, { DMA_MAX, 1 }, { DMA_MAX - 15, 16 });

	/* The total length must not overflow either. */
	if (DMA_BITS == 64) {
		EXPECT_RET(dma_sg_append(&t, 0, U64_MAX - 17, GFP_KERNEL), 0);
		EXPECT_RET(dma_sg_append(&t, DA(1ULL << 62), 1, GFP_KERNEL),
			   -EOVERFLOW);
		EXPECT(&t, &no_caller, { DMA_MAX, 1 }, { DMA_MAX - 15, 16 },
		       { 0, U64_MAX - 17 });
	}
	dma_sg_table_free(&t);
}

/* An entry that ends at the top must not merge with one at address 0. */
static void test_append_top_then_zero(void)
{
	struct dma_sg_table t;

	dma_sg_table_init(&t, 0);
	EXPECT_RET(dma_sg_append(&t, DMA_MAX - SZ_4K + 1, SZ_4K, GFP_KERNEL), 0);
	EXPECT_RET(dma_sg_append(&t, 0, SZ_4K, GFP_KERNEL), 0);
	EXPECT(&t, &no_caller, { DMA_MAX - SZ_4K + 1, SZ_4K }, { 0, SZ_4K });
	EXPECT_RET(dma_sg_append_split(&t, DMA_MAX - SZ_4K + 1, SZ_4K,
				       U64_MAX, U64_MAX, GFP_KERNEL), 0);
	EXPECT_RET(dma_sg_append_split(&t, 0, SZ_4K, U64_MAX, U64_MAX,
				       GFP_KERNEL), 0);
	EXPECT(&t, &no_caller, { DMA_MAX - SZ_4K + 1, SZ_4K }, { 0, SZ_4K },
	       { DMA_MAX - SZ_4K + 1, SZ_4K }, { 0, SZ_4K });
	dma_sg_table_free(&t);
}

static void test_huge_lengths(void)
{
	struct dma_sg_table t;

	if (DMA_BITS < 64)
		return;
	dma_sg_table_init(&t, 0);
	EXPECT_RET(dma_sg_append(&t, 0, 1ULL << 63, GFP_KERNEL), 0);
	EXPECT_RET(dma_sg_append(&t, DA(1ULL << 63), (1ULL << 63) - 1,
				 GFP_KERNEL), 0);
	EXPECT(&t, &no_caller, { 0, U64_MAX });
	EXPECT_RET(dma_sg_append(&t, DMA_MAX, 1, GFP_KERNEL), -EOVERFLOW);
	EXPECT_RET(dma_sg_truncate(&t, 0), 0);
	EXPECT_RET(dma_sg_append(&t, DA(1ULL << 63), 1ULL << 63, GFP_KERNEL), 0);
	EXPECT_RET(dma_sg_append(&t, 0, 1ULL << 63, GFP_KERNEL), -EOVERFLOW);
	EXPECT(&t, &no_caller, { 1ULL << 63, 1ULL << 63 });
	dma_sg_table_free(&t);
}

static void test_chain(void)
{
	u64 e8 = table_chunk_end(&no_caller, 8);
	u64 e9 = table_chunk_end(&no_caller, 9);
	u64 n = table_chunk_end(&no_caller, 10) + 1;
	struct dma_sg_table t;
	struct model m;
	long live = shim_live;

	dma_sg_table_init(&t, 0);
	model_init(&m, true);
	for (u64 i = 0; i < n; i++) {
		EXPECT_RET(dma_sg_append(&t, 2 * i * SZ_4K, SZ_4K, GFP_KERNEL),
			   0);
		EXPECT_RET(model_append(&m, 2 * i * SZ_4K, SZ_4K), 0);
	}
	check_table(__func__, &t, &no_caller, &m, 12);
	EXPECT_EQ(shim_live - live, 11, "chunks for 10 full chunks + 1");

	/* Dropping to a chunk boundary frees the chunks after it at once. */
	EXPECT_RET(dma_sg_truncate(&t, e9), 0);
	model_truncate(&m, e9);
	check_table(__func__, &t, &no_caller, &m, 12);
	EXPECT_EQ(shim_live - live, 9, "chunks for 9 full chunks");
	EXPECT_RET(dma_sg_truncate(&t, e9 + 1), -EINVAL);
	EXPECT_RET(dma_sg_truncate(&t, e8 + 1), 0);
	model_truncate(&m, e8 + 1);
	check_table(__func__, &t, &no_caller, &m, 12);
	/* The tail moved back: appends go to the right chunk. */
	EXPECT_RET(dma_sg_append(&t, 1ULL << 30, SZ_4K, GFP_KERNEL), 0);
	EXPECT_RET(model_append(&m, 1ULL << 30, SZ_4K), 0);
	check_table(__func__, &t, &no_caller, &m, 12);
	dma_sg_table_free(&t);
	model_free(&m);
	EXPECT_EQ(shim_live, live, "chunks leaked");
}

static void test_caller_chunk(void)
{
	DMA_SG_FIRST_CHUNK(storage, 4);
	struct dma_sg_chunk tiny;
	struct table_info ti = { &storage.chunk, 4 };
	unsigned long allocs = shim_allocs;
	struct dma_sg_table t;

	dma_sg_table_init_chunk(&t, storage, DMA_SG_NO_MERGE);
	EXPECT_EMPTY(&t, &ti);
	for (u64 i = 0; i < 4; i++)
		EXPECT_RET(dma_sg_append(&t, i * SZ_4K, SZ_4K, GFP_KERNEL), 0);
	EXPECT(&t, &ti, { 0, SZ_4K }, { SZ_4K, SZ_4K }, { 2 * SZ_4K, SZ_4K },
	       { 3 * SZ_4K, SZ_4K });
	EXPECT_EQ(shim_allocs, allocs, "caller chunk allocated");
	EXPECT_RET(dma_sg_append(&t, 9 * SZ_4K, SZ_4K, GFP_KERNEL), 0);
	EXPECT_EQ(shim_allocs, allocs + 1, "fifth entry");
	EXPECT_RET(dma_sg_truncate(&t, 4), 0);
	EXPECT_EQ(shim_live, 0, "chunk after the caller's kept");
	dma_sg_table_free(&t);
	EXPECT_EMPTY(&t, &ti);
	EXPECT_RET(dma_sg_append(&t, 0, SZ_4K, GFP_KERNEL), 0);
	EXPECT(&t, &ti, { 0, SZ_4K });
	dma_sg_table_free(&t);

	/*
	 * More than U32_MAX entries of storage are capped; only the first
	 * two are touched, so a small buffer stands in for 64 GiB.
	 */
	__dma_sg_table_init_chunk(&t, &storage.chunk, (size_t)1 << 40, 0);
	EXPECT_EQ(storage.chunk.max_ents, U32_MAX, "capped max_ents");
	EXPECT_RET(dma_sg_append(&t, 0, SZ_4K, GFP_KERNEL), 0);
	EXPECT_RET(dma_sg_append(&t, 2 * SZ_4K, SZ_4K, GFP_KERNEL), 0);
	EXPECT_EQ(shim_allocs, allocs + 1, "capped chunk allocated");
	EXPECT_EQ(storage.chunk.nents, 2, "capped chunk entries");
	dma_sg_table_free(&t);

	/* Storage without room for one entry is ignored. */
	__dma_sg_table_init_chunk(&t, &tiny, sizeof(tiny) + 15, 0);
	EXPECT_EMPTY(&t, &no_caller);
	EXPECT_RET(dma_sg_append(&t, 0, SZ_4K, GFP_KERNEL), 0);
	EXPECT(&t, &no_caller, { 0, SZ_4K });
	dma_sg_table_free(&t);
	EXPECT_EQ(shim_live, 0, "chunks leaked");
}

static void test_split(void)
{
	struct dma_sg_table t;

	dma_sg_table_init(&t, 0);
	/* max_seg_size alone */
	EXPECT_RET(dma_sg_append_split(&t, 0, 10 * SZ_4K, 4 * SZ_4K, U64_MAX,
				       GFP_KERNEL), 0);
	EXPECT(&t, &no_caller, { 0, 4 * SZ_4K }, { 4 * SZ_4K, 4 * SZ_4K },
	       { 8 * SZ_4K, 2 * SZ_4K });
	dma_sg_table_free(&t);

	/* the boundary alone, then both */
	EXPECT_RET(dma_sg_append_split(&t, 15 * SZ_4K, 2 * SZ_4K, U64_MAX,
				       SZ_64K - 1, GFP_KERNEL), 0);
	EXPECT_RET(dma_sg_append_split(&t, SZ_64K * 3 - 1, SZ_64K + 2,
				       SZ_64K / 2, SZ_64K - 1, GFP_KERNEL), 0);
	EXPECT(&t, &no_caller, { 15 * SZ_4K, SZ_4K }, { SZ_64K, SZ_4K },
	       { SZ_64K * 3 - 1, 1 }, { SZ_64K * 3, SZ_64K / 2 },
	       { SZ_64K * 3 + SZ_64K / 2, SZ_64K / 2 },
	       { SZ_64K * 4, 1 });
	dma_sg_table_free(&t);

	/* The boundary is at the top of the address space: nothing to split. */
	EXPECT_RET(dma_sg_append_split(&t, DMA_MAX - SZ_4K + 1, SZ_4K,
				       U64_MAX, U64_MAX, GFP_KERNEL), 0);
	EXPECT_RET(dma_sg_append_split(&t, DMA_MAX - 2 * SZ_4K + 1, 2 * SZ_4K,
				       SZ_4K, U32_MAX, GFP_KERNEL), 0);
	EXPECT(&t, &no_caller, { DMA_MAX - SZ_4K + 1, SZ_4K },
	       { DMA_MAX - 2 * SZ_4K + 1, SZ_4K },
	       { DMA_MAX - SZ_4K + 1, SZ_4K });
	dma_sg_table_free(&t);

	if (DMA_BITS == 64) {
		EXPECT_RET(dma_sg_append_split(&t, DA(1ULL << 62), 1ULL << 63,
					       1ULL << 62, U64_MAX,
					       GFP_KERNEL), 0);
		EXPECT(&t, &no_caller, { 1ULL << 62, 1ULL << 62 },
		       { 1ULL << 63, 1ULL << 62 });
		dma_sg_table_free(&t);
	}
}

static void test_split_merge(void)
{
	struct dma_sg_table t, nm;

	dma_sg_table_init(&t, 0);
	dma_sg_table_init(&nm, DMA_SG_NO_MERGE);
	/* fits: merged */
	EXPECT_RET(dma_sg_append(&t, 0, SZ_4K, GFP_KERNEL), 0);
	EXPECT_RET(dma_sg_append_split(&t, SZ_4K, SZ_4K, SZ_64K, U64_MAX,
				       GFP_KERNEL), 0);
	EXPECT(&t, &no_caller, { 0, 2 * SZ_4K });
	/* the last entry is topped up to max_seg_size, the rest split */
	EXPECT_RET(dma_sg_append_split(&t, 2 * SZ_4K, 3 * SZ_4K, 4 * SZ_4K,
				       U64_MAX, GFP_KERNEL), 0);
	EXPECT(&t, &no_caller, { 0, 4 * SZ_4K }, { 4 * SZ_4K, SZ_4K });
	/* a full last entry takes nothing */
	EXPECT_RET(dma_sg_append_split(&t, 5 * SZ_4K, 2 * SZ_4K, SZ_4K,
				       U64_MAX, GFP_KERNEL), 0);
	EXPECT(&t, &no_caller, { 0, 4 * SZ_4K }, { 4 * SZ_4K, SZ_4K },
	       { 5 * SZ_4K, SZ_4K }, { 6 * SZ_4K, SZ_4K });
	dma_sg_table_free(&t);

	/* appending in contiguous pieces builds the same table as whole */
	EXPECT_RET(dma_sg_append_split(&t, SZ_4K, 3, 2 * SZ_4K, SZ_4K - 1,
				       GFP_KERNEL), 0);
	EXPECT_RET(dma_sg_append_split(&t, SZ_4K + 3, 2 * SZ_4K, 2 * SZ_4K,
				       SZ_4K - 1, GFP_KERNEL), 0);
	EXPECT_RET(dma_sg_append_split(&t, 3 * SZ_4K + 3, SZ_4K - 3,
				       2 * SZ_4K, SZ_4K - 1, GFP_KERNEL), 0);
	EXPECT(&t, &no_caller, { SZ_4K, SZ_4K }, { 2 * SZ_4K, SZ_4K },
	       { 3 * SZ_4K, SZ_4K });
	dma_sg_table_free(&t);

	/* a boundary between the last entry and the range: not merged */
	EXPECT_RET(dma_sg_append(&t, SZ_64K - SZ_4K, SZ_4K, GFP_KERNEL), 0);
	EXPECT_RET(dma_sg_append_split(&t, SZ_64K, SZ_4K, U64_MAX, SZ_64K - 1,
				       GFP_KERNEL), 0);
	EXPECT(&t, &no_caller, { SZ_64K - SZ_4K, SZ_4K }, { SZ_64K, SZ_4K });
	dma_sg_table_free(&t);

	EXPECT_RET(dma_sg_append(&nm, 0, SZ_4K, GFP_KERNEL), 0);
	EXPECT_RET(dma_sg_append_split(&nm, SZ_4K, SZ_4K, SZ_64K, U64_MAX,
				       GFP_KERNEL), 0);
	EXPECT(&nm, &no_caller, { 0, SZ_4K }, { SZ_4K, SZ_4K });
	dma_sg_table_free(&nm);
}

static void test_split_invalid(void)
{
	struct dma_sg_table t;

	dma_sg_table_init(&t, 0);
	EXPECT_RET(dma_sg_append(&t, 0, SZ_4K, GFP_KERNEL), 0);
	EXPECT_RET(dma_sg_append_split(&t, SZ_4K, SZ_4K, 0, U64_MAX,
				       GFP_KERNEL), -EINVAL);
	EXPECT_RET(dma_sg_append_split(&t, SZ_4K, SZ_4K, SZ_4K, 0,
				       GFP_KERNEL), -EINVAL);
	EXPECT_RET(dma_sg_append_split(&t, SZ_4K, SZ_4K, SZ_4K, SZ_4K,
				       GFP_KERNEL), -EINVAL);
	EXPECT_RET(dma_sg_append_split(&t, SZ_4K, SZ_4K, SZ_4K, 0xff0,
				       GFP_KERNEL), -EINVAL);
	EXPECT_RET(dma_sg_append_split(&t, SZ_4K, 0, SZ_4K, U64_MAX,
				       GFP_KERNEL), -EINVAL);
	EXPECT_RET(dma_sg_append_split(&t, DMA_MAX, 2, SZ_4K, U64_MAX,
				       GFP_KERNEL), -EOVERFLOW);
	EXPECT(&t, &no_caller, { 0, SZ_4K });
	/* mask 1 is the smallest boundary: two-byte windows */
	EXPECT_RET(dma_sg_append_split(&t, SZ_4K + 1, 4, U64_MAX, 1,
				       GFP_KERNEL), 0);
	EXPECT(&t, &no_caller, { 0, SZ_4K }, { SZ_4K + 1, 1 },
	       { SZ_4K + 2, 2 }, { SZ_4K + 4, 1 });
	dma_sg_table_free(&t);
}

static void test_truncate(void)
{
	struct dma_sg_table t;

	dma_sg_table_init(&t, DMA_SG_NO_MERGE);
	for (u64 i = 0; i < 5; i++)
		EXPECT_RET(dma_sg_append(&t, i * SZ_4K, (i + 1) * SZ_4K,
					 GFP_KERNEL), 0);
	EXPECT_RET(dma_sg_truncate(&t, 6), -EINVAL);
	EXPECT_RET(dma_sg_truncate(&t, U64_MAX), -EINVAL);
	EXPECT_RET(dma_sg_truncate(&t, 5), 0);
	EXPECT_RET(dma_sg_truncate(&t, 2), 0);
	EXPECT(&t, &no_caller, { 0, SZ_4K }, { SZ_4K, 2 * SZ_4K });
	EXPECT_RET(dma_sg_truncate(&t, 0), 0);
	EXPECT_EMPTY(&t, &no_caller);
	EXPECT_EQ(shim_live, 0, "truncate to 0 kept a chunk");
}

static void test_blocks(void)
{
	struct dma_sg_block_iter biter;
	struct dma_sg_table t;
	dma_addr_t got[8];
	struct model m;
	int n = 0;

	dma_sg_table_init(&t, DMA_SG_NO_MERGE);
	EXPECT_RET(dma_sg_append(&t, 0x1800, 0x1000, GFP_KERNEL), 0);
	EXPECT_RET(dma_sg_append(&t, 0x2800, 0x100, GFP_KERNEL), 0);
	EXPECT_RET(dma_sg_append(&t, DMA_MAX - 0x1fff, 0x2000, GFP_KERNEL), 0);
	dma_sg_for_each_block(&t, biter, SZ_4K) {
		CHECK(n < 8);
		got[n++] = dma_sg_block_iter_dma_address(&biter);
	}
	/* 0x2000 is shared by the first two entries: yielded twice */
	EXPECT_EQ(n, 5, "blocks");
	EXPECT_EQ(got[0], 0x1000, "block 0");
	EXPECT_EQ(got[1], 0x2000, "block 1");
	EXPECT_EQ(got[2], 0x2000, "block 2");
	EXPECT_EQ(got[3], DMA_MAX - 0x1fff, "block 3");
	EXPECT_EQ(got[4], DMA_MAX - 0xfff, "block 4");

	n = 0;
	dma_sg_for_each_block(&t, biter, 1ULL << 63) {
		CHECK(n < 8);
		got[n++] = dma_sg_block_iter_dma_address(&biter);
	}
	EXPECT_EQ(n, 3, "2^63 blocks");
	EXPECT_EQ(got[2], DMA_BITS == 64 ? 1ULL << 63 : 0, "top 2^63 block");
	/* and at every other size, against the model */
	model_init(&m, false);
	model_append(&m, 0x1800, 0x1000);
	model_append(&m, 0x2800, 0x100);
	model_append(&m, DMA_MAX - 0x1fff, 0x2000);
	for (unsigned int shift = 0; shift < 64; shift++)
		check_table(__func__, &t, &no_caller, &m, shift);
	model_free(&m);
	dma_sg_table_free(&t);
}

static void test_phys(void)
{
	struct dma_sg_phys p;

	EXPECT_RET(dma_sg_phys_set(&p, SZ_4K, SZ_4K, DMA_SG_MAP_BUS_ADDR, 7), 0);
	EXPECT_EQ(dma_sg_phys_len(&p), SZ_4K, "len");
	EXPECT_EQ(dma_sg_phys_hint(&p), DMA_SG_MAP_BUS_ADDR, "hint");
	EXPECT_EQ(dma_sg_phys_bar(&p), 7, "bar");
	EXPECT_RET(dma_sg_phys_set(&p, 0, DMA_SG_PHYS_LEN_MAX,
				   DMA_SG_MAP_HOST_BRIDGE, DMA_SG_BAR_ID_MAX),
		   sizeof(phys_addr_t) == 8 ? 0 : -EINVAL);

	for (unsigned int hint = 0; hint < 5; hint++) {
		static const u32 bars[] = { 0, 1, 4095, 4096, U32_MAX };
		static const u64 lens[] = { 0, 1, SZ_4K, (1ULL << 50) - 1,
					    1ULL << 50, 1ULL << 63, U64_MAX };
		static const u64 addrs[] = { 0, SZ_4K, 1ULL << 40,
					     (u64)(phys_addr_t)~0ULL,
					     (u64)(phys_addr_t)~0ULL - SZ_4K };

		for (int b = 0; b < 5; b++)
			for (int l = 0; l < 7; l++)
				for (int a = 0; a < 5; a++)
					check_phys(addrs[a], lens[l], hint,
						   bars[b]);
	}
}

/*
 * Run @op with the n-th allocation failing, for every n until it succeeds:
 * each failure must give -ENOMEM and leave @t as @m describes.  Returns
 * the number of allocation points found.
 */
static int fail_every(const char *what, struct dma_sg_table *t,
		      const struct table_info *ti, const struct model *m,
		      int (*op)(struct dma_sg_table *t))
{
	long live = shim_live;
	int n;

	for (n = 1; ; n++) {
		unsigned long failed = shim_failed;
		int ret;

		shim_fail_nth = n;
		ret = op(t);
		shim_fail_nth = 0;
		if (shim_failed == failed) {
			if (ret)
				fail("%s: returned %d without a failure\n",
				     what, ret);
			return n - 1;
		}
		if (ret != -ENOMEM)
			fail("%s: allocation %d failed, returned %d\n", what,
			     n, ret);
		check_table(what, t, ti, m, 12);
		EXPECT_EQ(shim_live, live, what);
	}
}

/* Merges 2K into the last entry, then needs more chunks. */
static int op_split_many(struct dma_sg_table *t)
{
	return dma_sg_append_split(t, 99 * SZ_4K + 0x800,
				   0x800 + (2 * CE + 1) * SZ_4K, SZ_4K,
				   SZ_4K - 1, GFP_NOWAIT);
}

static int op_append_new(struct dma_sg_table *t)
{
	return dma_sg_append(t, 1ULL << 31, SZ_4K, GFP_NOWAIT);
}

static void test_fail_nth(void)
{
	DMA_SG_FIRST_CHUNK(storage, 2);
	struct table_info ti = { &storage.chunk, 2 };
	struct dma_sg_table t;
	struct model m;
	u64 chunks;
	int points;

	for (int caller = 0; caller < 2; caller++) {
		const struct table_info *info = caller ? &ti : &no_caller;

		if (caller)
			dma_sg_table_init_chunk(&t, storage, 0);
		else
			dma_sg_table_init(&t, 0);
		model_init(&m, true);

		/* the first append allocates, except into a caller's chunk */
		points = fail_every("append empty", &t, info, &m,
				    op_append_new);
		EXPECT_EQ(points, !caller, "append points");
		model_append(&m, 1ULL << 31, SZ_4K);
		check_table(__func__, &t, info, &m, 12);

		/* fill a chunk, ending with [99 * 4K, +2K) */
		while (m.n < table_chunk_end(info, caller ? 1 : 3) - 1) {
			u64 a = (200 + 2 * m.n) * SZ_4K;

			EXPECT_RET(dma_sg_append(&t, a, SZ_4K, GFP_NOWAIT), 0);
			model_append(&m, a, SZ_4K);
		}
		EXPECT_RET(dma_sg_append(&t, 99 * SZ_4K, 0x800, GFP_NOWAIT), 0);
		model_append(&m, 99 * SZ_4K, 0x800);
		check_table(__func__, &t, info, &m, 12);

		/* a failure must also undo the merge into the last entry */
		chunks = table_chunks(info, m.n);
		points = fail_every("split many", &t, info, &m, op_split_many);
		model_append_split(&m, 99 * SZ_4K + 0x800,
				   0x800 + (2 * CE + 1) * SZ_4K, SZ_4K,
				   SZ_4K - 1);
		EXPECT_EQ(points, table_chunks(info, m.n) - chunks,
			  "split points");
		EXPECT_EQ(m.ents[m.n - 2 * CE - 2].len, SZ_4K, "merged");
		check_table(__func__, &t, info, &m, 12);
		dma_sg_table_free(&t);
		model_free(&m);
	}
	EXPECT_EQ(shim_live, 0, "chunks leaked");
}

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void test_random(long inputs)
{
	u8 buf[512];
	long ops = 0;

	for (long i = 0; i < inputs; i++) {
		size_t len = 16 + rng() % (sizeof(buf) - 16);

		for (size_t k = 0; k < len; k++)
			buf[k] = rng();
		ops += ops_run(buf, len);
	}
	printf("dma_sg harness: %ld random inputs, %ld operations, %lu table checks\n",
	       inputs, ops, model_checks);
}

/* Replay a fuzzer input, or every file in a directory; count them. */
static int replay(const char *path)
{
	static u8 buf[1 << 20];
	struct dirent *de;
	FILE *f;
	DIR *d;
	int n = 0;

	d = opendir(path);
	if (d) {
		while ((de = readdir(d))) {
			char sub[4096];

			if (de->d_name[0] == '.')
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
			n += replay(sub);
		}
		closedir(d);
		return n;
	}
	f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(1);
	}
	test_name = path;
	ops_run(buf, fread(buf, 1, sizeof(buf), f));
	fclose(f);
	return 1;
}

static int tests;

/* fail() aborts, so a test that returns has passed. */
#define RUN(test) do {							\
	test_name = #test;						\
	test();								\
	tests++;							\
} while (0)

int main(int argc, char **argv)
{
	long inputs = 3000;
	int opt, n = 0;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n') {
			fprintf(stderr, "usage: %s [-n INPUTS] [FILE...]\n",
				argv[0]);
			return 2;
		}
		inputs = atol(optarg);
	}
	if (optind < argc) {
		for (int i = optind; i < argc; i++)
			n += replay(argv[i]);
		printf("dma_sg harness: replayed %d inputs, all passed\n", n);
		return 0;
	}

	RUN(test_empty);
	RUN(test_append_merge);
	RUN(test_append_errors);
	RUN(test_append_top_then_zero);
	RUN(test_huge_lengths);
	RUN(test_chain);
	RUN(test_caller_chunk);
	RUN(test_split);
	RUN(test_split_merge);
	RUN(test_split_invalid);
	RUN(test_truncate);
	RUN(test_blocks);
	RUN(test_phys);
	RUN(test_fail_nth);
	test_name = "test_random";
	test_random(inputs);
	EXPECT_EQ(shim_live, 0, "chunks leaked");
	printf("dma_sg harness: %d tests, %ld random inputs passed (%u-bit dma_addr_t, %u/chunk)\n",
	       tests, inputs, DMA_BITS, (unsigned int)CE);
	return 0;
}
