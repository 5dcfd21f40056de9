// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for dma_sg tables.
 *
 * Tables are compared with a model, a flat array of entries built by the
 * documented rules, and their chains are checked against the invariants
 * after every change.  Chunk allocation goes through static stubs that
 * count live chunks, so that a leak or a freed caller chunk shows at once,
 * and allocation failure is injected with current->fail_nth
 * (<kunit/fail_nth.h>).
 */
#include <kunit/fail_nth.h>
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/dma_sg.h>
#include <linux/dma_sg_phys.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dma_sg_internal.h"

/* failslab only fails allocations that cannot sleep. */
#define NOWAIT		(GFP_NOWAIT | __GFP_NOWARN)
#define ADDR_MAX	((dma_addr_t)~0ULL)
#define PHYS_MAX	((phys_addr_t)~0ULL)
#define ENTS		DMA_SG_CHUNK_ENTS

/* Chunk accounting done by the static stubs, in test->priv. */
struct chunk_count {
	long live;
	long allocs;
	bool many_tables;
	const void *caller_lo;
	const void *caller_hi;
};

static struct chunk_count *counts(struct kunit *test)
{
	return test->priv;
}

static struct dma_sg_chunk *counted_alloc(size_t bytes, gfp_t gfp)
{
	struct chunk_count *cc = counts(kunit_get_current_test());
	struct dma_sg_chunk *chunk = kmalloc(bytes, gfp);

	if (chunk) {
		cc->live++;
		cc->allocs++;
	}
	return chunk;
}

static void counted_free(struct dma_sg_chunk *chunk)
{
	struct kunit *test = kunit_get_current_test();
	struct chunk_count *cc = counts(test);

	if ((void *)chunk >= cc->caller_lo && (void *)chunk < cc->caller_hi) {
		KUNIT_FAIL(test, "caller storage %p handed to kfree()", chunk);
		return;
	}
	KUNIT_EXPECT_GT(test, cc->live, 0);
	cc->live--;
	kfree(chunk);
}

/* Storage the table must never free. */
static void caller_storage(struct kunit *test, const void *p, size_t size)
{
	counts(test)->caller_lo = p;
	counts(test)->caller_hi = p + size;
}

static u64 rnd64(struct rnd_state *r)
{
	u64 hi = prandom_u32_state(r);

	return hi << 32 | prandom_u32_state(r);
}

/* Uniform in [lo, hi], for hi - lo < 2^32. */
static u64 rnd_in(struct rnd_state *r, u64 lo, u64 hi)
{
	return lo + (((u64)prandom_u32_state(r) * (hi - lo + 1)) >> 32);
}

/* The reference model: the entries a table must hold, in order. */
struct model {
	struct dma_sg *ents;
	u64 nents;
	u64 cap;
	u64 len;
	/* Where the table's chain must start and end, for snapshots. */
	const struct dma_sg_chunk *first;
	const struct dma_sg_chunk *tail;
	u32 tail_nents;
	unsigned int flags;
	u32 size_hint;
};

static void kvfree_action(void *p)
{
	kvfree(p);
}

static void model_init(struct kunit *test, struct model *m, u64 cap)
{
	int ret;

	memset(m, 0, sizeof(*m));
	m->ents = kvmalloc_array(max_t(u64, cap, 1), sizeof(*m->ents),
				 GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->ents);
	ret = kunit_add_action_or_reset(test, kvfree_action, m->ents);
	KUNIT_ASSERT_EQ(test, ret, 0);
	m->cap = cap;
}

static void model_release(struct kunit *test, struct model *m)
{
	kunit_release_action(test, kvfree_action, m->ents);
	m->ents = NULL;
}

/* A new last entry; -ENOSPC when full, so that fuzzed input stays cheap. */
static int model_add(struct model *m, dma_addr_t addr, u64 len)
{
	if (m->nents == m->cap)
		return -ENOSPC;
	m->ents[m->nents].addr = addr;
	m->ents[m->nents].len = len;
	m->nents++;
	m->len += len;
	return 0;
}

static void model_new(struct kunit *test, struct model *m, dma_addr_t addr,
		      u64 len)
{
	KUNIT_ASSERT_EQ(test, model_add(m, addr, len), 0);
}

static struct dma_sg *model_last(struct model *m)
{
	return m->nents ? &m->ents[m->nents - 1] : NULL;
}

/* Does @addr continue @last, without wrapping past the top? */
static bool model_continues(const struct dma_sg *last, dma_addr_t addr)
{
	return last && addr != 0 && last->addr + last->len == addr;
}

static int model_check(const struct model *m, dma_addr_t addr, u64 len)
{
	if (!len)
		return -EINVAL;
	if (len - 1 > ADDR_MAX - addr || len > U64_MAX - m->len)
		return -EOVERFLOW;
	return 0;
}

/* dma_sg_append(): merge into the last entry when contiguous. */
static int model_append(struct model *m, dma_addr_t addr, u64 len, bool merge)
{
	struct dma_sg *last = model_last(m);
	int ret = model_check(m, addr, len);

	if (ret)
		return ret;
	if (!merge || !model_continues(last, addr))
		return model_add(m, addr, len);
	last->len += len;
	m->len += len;
	return 0;
}

/*
 * dma_sg_append_split(): cut the range into pieces that cross no boundary
 * and exceed no max_seg; a piece grows the last entry whenever that entry
 * continues it, lies in its boundary window and has room.
 */
static int model_split(struct model *m, dma_addr_t addr, u64 len, u64 max,
		       u64 mask, bool merge)
{
	int ret;

	if (!max || !mask || (mask & (mask + 1)))
		return -EINVAL;
	ret = model_check(m, addr, len);
	if (ret)
		return ret;
	while (len) {
		struct dma_sg *last = model_last(m);
		u64 window_left = mask - (addr & mask);	/* minus one */
		u64 piece;

		if (merge && model_continues(last, addr) &&
		    (last->addr | mask) == (addr | mask) && last->len < max) {
			piece = min3(len - 1, max - last->len - 1, window_left) + 1;
			last->len += piece;
			m->len += piece;
		} else {
			piece = min3(len - 1, max - 1, window_left) + 1;
			ret = model_add(m, addr, piece);
			if (ret)
				return ret;
		}
		addr += piece;
		len -= piece;
	}
	return 0;
}

static void model_truncate(struct model *m, u64 nents)
{
	u64 i;

	m->nents = nents;
	m->len = 0;
	for (i = 0; i < nents; i++)
		m->len += m->ents[i].len;
}

/*
 * The chunk geometry the table promises: each allocated chunk is the
 * smallest power of two from 64 bytes that is at least twice the chunk
 * before it, and no more than a page.  A table with no caller chunk holds
 * a lone entry inline, in no chunk.
 */
static size_t chunk_bytes_after(size_t prev)
{
	size_t bytes = 64;

	while (bytes < 2 * prev && bytes < PAGE_SIZE)
		bytes *= 2;
	return bytes;
}

static u32 chunk_cap(size_t bytes)
{
	return (bytes - sizeof(struct dma_sg_chunk)) / sizeof(struct dma_sg);
}

/* Entries held by a caller chunk of @caller_ents and @k allocated chunks. */
static u64 chunk_end(u32 caller_ents, u64 k)
{
	size_t bytes = caller_ents ?
		       struct_size_t(struct dma_sg_chunk, ents, caller_ents) : 0;
	u64 held = caller_ents;

	while (k--) {
		bytes = chunk_bytes_after(bytes);
		held += chunk_cap(bytes);
	}
	return held;
}

/* Allocated chunks a table of @nents entries holds; one pass, as chunk_end(). */
static u64 chunks_for(u64 nents, u32 caller_ents)
{
	size_t bytes = caller_ents ?
		       struct_size_t(struct dma_sg_chunk, ents, caller_ents) : 0;
	u64 held = caller_ents, k = 0;

	if (!caller_ents && nents == 1)
		return 0;
	while (held < nents) {
		bytes = chunk_bytes_after(bytes);
		held += chunk_cap(bytes);
		k++;
	}
	return k;
}

/* Entries in the tail chunk of a table of @nents > 0 entries. */
static u64 tail_nents_for(u64 nents, u32 caller_ents)
{
	u64 k = chunks_for(nents, caller_ents);

	return k ? nents - chunk_end(caller_ents, k - 1) : nents;
}

/*
 * The chain invariants: no empty chunk while there are entries, the tail
 * is the last chunk, the counters match the entries, and every entry is
 * a valid range.  Also checks the live chunk count when the test has one
 * table.
 */
static void check_chain(struct kunit *test, const struct dma_sg_table *t)
{
	bool caller = t->flags & DMA_SG_CALLER_CHUNK;
	const struct dma_sg_chunk *c;
	u64 nents = 0, len = 0, chunks = 0;
	size_t bytes = 0;
	u32 i;

	KUNIT_ASSERT_EQ(test, t->flags & ~(DMA_SG_NO_MERGE | DMA_SG_CALLER_CHUNK |
					   DMA_SG_INLINE), 0);
	/* Exactly a lone entry in a table that owns its storage is inline. */
	KUNIT_ASSERT_EQ(test, !!(t->flags & DMA_SG_INLINE),
			t->nents == 1 && !caller);
	if (t->flags & DMA_SG_INLINE) {
		KUNIT_ASSERT_TRUE(test, dma_sg_range_ok(t->one.addr, t->one.len));
		KUNIT_ASSERT_EQ(test, t->len, t->one.len);
		if (!counts(test)->many_tables)
			KUNIT_ASSERT_EQ(test, counts(test)->live, 0);
		return;
	}
	if (caller)
		KUNIT_ASSERT_NOT_NULL(test, t->first);
	if (!t->nents) {
		KUNIT_ASSERT_EQ(test, t->len, 0);
		KUNIT_ASSERT_PTR_EQ(test, t->tail, t->first);
		if (caller) {
			KUNIT_ASSERT_EQ(test, t->first->nents, 0);
			KUNIT_ASSERT_NULL(test, t->first->next);
		} else {
			KUNIT_ASSERT_NULL(test, t->first);
		}
		if (!counts(test)->many_tables)
			KUNIT_ASSERT_EQ(test, counts(test)->live, 0);
		return;
	}
	for (c = t->first; c; c = c->next) {
		/* Bounded, so a cycle fails instead of hanging. */
		KUNIT_ASSERT_LE(test, ++chunks, t->nents);
		KUNIT_ASSERT_GT(test, c->nents, 0);
		KUNIT_ASSERT_LE(test, c->nents, c->max_ents);
		if ((c != t->first || !caller) && !t->size_hint) {
			bytes = chunk_bytes_after(bytes);
			KUNIT_ASSERT_EQ(test, c->max_ents, chunk_cap(bytes));
		} else if (c != t->first || !caller) {
			/* Sized for a hint: a power of two, up to a page. */
			KUNIT_ASSERT_LE(test, c->max_ents, DMA_SG_CHUNK_ENTS);
			bytes = roundup_pow_of_two(struct_size(c, ents,
							       c->max_ents));
			KUNIT_ASSERT_EQ(test, c->max_ents, chunk_cap(bytes));
		} else {
			bytes = struct_size(c, ents, c->max_ents);
		}
		for (i = 0; i < c->nents; i++) {
			KUNIT_ASSERT_TRUE(test, dma_sg_range_ok(c->ents[i].addr,
								c->ents[i].len));
			len += c->ents[i].len;
		}
		nents += c->nents;
		/* Only the tail has room: appends fill chunks in order. */
		if (c->next)
			KUNIT_ASSERT_EQ(test, c->nents, c->max_ents);
		else
			KUNIT_ASSERT_PTR_EQ(test, c, t->tail);
	}
	KUNIT_ASSERT_EQ(test, nents, t->nents);
	KUNIT_ASSERT_EQ(test, len, t->len);
	if (!counts(test)->many_tables)
		KUNIT_ASSERT_EQ(test, counts(test)->live, chunks - caller);
}

/* The table holds exactly the model's entries, seen through for_each. */
static void expect_model(struct kunit *test, const struct dma_sg_table *t,
			 const struct model *m)
{
	struct dma_sg_iter it;
	struct dma_sg *sg;
	u64 i = 0;

	check_chain(test, t);
	KUNIT_ASSERT_EQ(test, dma_sg_table_nents(t), m->nents);
	KUNIT_ASSERT_EQ(test, dma_sg_table_len(t), m->len);
	dma_sg_for_each(t, sg, it) {
		KUNIT_ASSERT_LT(test, i, m->nents);
		if (sg->addr != m->ents[i].addr || sg->len != m->ents[i].len) {
			KUNIT_FAIL(test, "entry %llu is %llx+%llx, expected %llx+%llx",
				   i, (u64)sg->addr, sg->len,
				   (u64)m->ents[i].addr, m->ents[i].len);
			return;
		}
		i++;
	}
	KUNIT_ASSERT_EQ(test, i, m->nents);
}

/* Record everything about @t, to prove later that it did not change. */
static void snap_take(struct kunit *test, struct model *s,
		      const struct dma_sg_table *t)
{
	struct dma_sg_iter it;
	struct dma_sg *sg;

	check_chain(test, t);
	model_init(test, s, t->nents);
	dma_sg_for_each(t, sg, it)
		model_new(test, s, sg->addr, sg->len);
	s->flags = t->flags;
	s->size_hint = t->size_hint;
	if (t->flags & DMA_SG_INLINE)
		return;
	s->first = t->first;
	s->tail = t->tail;
	s->tail_nents = t->tail ? t->tail->nents : 0;
}

static void expect_unchanged(struct kunit *test, const struct dma_sg_table *t,
			     const struct model *s)
{
	expect_model(test, t, s);
	KUNIT_EXPECT_EQ(test, t->flags, s->flags);
	KUNIT_EXPECT_EQ(test, t->size_hint, s->size_hint);
	if (t->flags & DMA_SG_INLINE)
		return;
	KUNIT_EXPECT_PTR_EQ(test, t->first, s->first);
	KUNIT_EXPECT_PTR_EQ(test, t->tail, s->tail);
	if (t->tail)
		KUNIT_EXPECT_EQ(test, t->tail->nents, s->tail_nents);
}

/* A table on the heap, freed by KUnit if an assertion ends the test. */
static void table_free_action(void *t)
{
	dma_sg_table_free(t);
}

static struct dma_sg_table *new_table(struct kunit *test, unsigned int flags)
{
	struct dma_sg_table *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, t);
	dma_sg_table_init(t, flags);
	ret = kunit_add_action_or_reset(test, table_free_action, t);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return t;
}

static void free_table(struct kunit *test, struct dma_sg_table *t)
{
	kunit_release_action(test, table_free_action, t);
	check_chain(test, t);
	KUNIT_EXPECT_EQ(test, dma_sg_table_nents(t), 0);
	KUNIT_EXPECT_EQ(test, dma_sg_table_len(t), 0);
}

/* Appends @n entries that cannot merge: 4 KiB each, 8 KiB apart. */
static void fill_gapped(struct kunit *test, struct dma_sg_table *t,
			struct model *m, u64 n, dma_addr_t base)
{
	u64 i;

	for (i = 0; i < n; i++) {
		dma_addr_t addr = base + i * SZ_8K;

		KUNIT_ASSERT_EQ(test, dma_sg_append(t, addr, SZ_4K, GFP_KERNEL),
				0);
		if (m)
			model_new(test, m, addr, SZ_4K);
	}
}

static void dma_sg_test_layout(struct kunit *test)
{
	DMA_SG_FIRST_CHUNK(five, 5);

	if (IS_ENABLED(CONFIG_ARCH_DMA_ADDR_T_64BIT))
		KUNIT_EXPECT_EQ(test, sizeof(struct dma_sg), 16);
	KUNIT_EXPECT_LE(test, struct_size_t(struct dma_sg_chunk, ents, ENTS),
			PAGE_SIZE);
	KUNIT_EXPECT_GT(test, struct_size_t(struct dma_sg_chunk, ents, ENTS + 1),
			PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, sizeof(five),
			struct_size_t(struct dma_sg_chunk, ents, 5));
}

/*
 * One entry takes no allocation; the second moves it into the smallest
 * chunk, and chunks double up to a page.
 */
static void dma_sg_test_chunk_growth(struct kunit *test)
{
	struct dma_sg_table *t = new_table(test, 0);
	const struct dma_sg_chunk *c;
	size_t bytes = DMA_SG_MIN_CHUNK;
	struct model m;

	model_init(test, &m, chunk_end(0, 10));
	fill_gapped(test, t, &m, 1, 0);
	KUNIT_EXPECT_EQ(test, counts(test)->allocs, 0);
	KUNIT_EXPECT_TRUE(test, t->flags & DMA_SG_INLINE);
	expect_model(test, t, &m);
	fill_gapped(test, t, &m, 1, SZ_1G);
	KUNIT_EXPECT_EQ(test, ksize(t->first), DMA_SG_MIN_CHUNK);
	KUNIT_EXPECT_EQ(test, t->first->nents, 2);
	fill_gapped(test, t, &m, m.cap - 2, SZ_2G);
	expect_model(test, t, &m);
	for (c = t->first; c; c = c->next) {
		KUNIT_EXPECT_EQ(test, ksize(c), bytes);
		KUNIT_EXPECT_EQ(test, c->nents, c->max_ents);
		bytes = min_t(size_t, 2 * bytes, PAGE_SIZE);
	}
	KUNIT_EXPECT_EQ(test, counts(test)->live, 10);
	model_release(test, &m);
	free_table(test, t);
}

/*
 * A lone entry is held inline: it merges, iterates and truncates there, a
 * failed move into the first chunk leaves it as it was, and a split that
 * fails after the move puts it back, with no chunk left allocated.
 */
static void dma_sg_test_inline(struct kunit *test)
{
	struct dma_sg_table *t = new_table(test, 0);
	struct dma_sg_block_iter biter;
	struct kunit_fail_nth fail;
	struct model m, s;
	bool moved = false;
	u64 blocks = 0;
	unsigned int n;

	model_init(test, &m, 8);
	KUNIT_ASSERT_EQ(test, dma_sg_append(t, SZ_1M, SZ_4K, NOWAIT), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_append(t, SZ_1M + SZ_4K, SZ_4K, NOWAIT), 0);
	model_new(test, &m, SZ_1M, SZ_8K);
	expect_model(test, t, &m);
	KUNIT_EXPECT_EQ(test, counts(test)->allocs, 0);
	KUNIT_EXPECT_PTR_EQ(test, dma_sg_first(t), &t->one);
	dma_sg_for_each_block(t, biter, SZ_4K)
		blocks++;
	KUNIT_EXPECT_EQ(test, blocks, 2);
	KUNIT_EXPECT_EQ(test, dma_sg_truncate(t, 1), 0);
	expect_model(test, t, &m);

	if (kunit_fail_nth_init(&fail, 0))
		kunit_skip(test, "needs CONFIG_FAILSLAB for current->fail_nth");
	snap_take(test, &s, t);
	kunit_fail_nth_arm(&fail, 1);
	KUNIT_EXPECT_EQ(test, dma_sg_append(t, SZ_2M, SZ_4K, NOWAIT), -ENOMEM);
	kunit_fail_nth_disarm(&fail);
	expect_unchanged(test, t, &s);
	/* Half merges into the inline entry, half needs the chunk. */
	kunit_fail_nth_arm(&fail, 1);
	KUNIT_EXPECT_EQ(test, dma_sg_append_split(t, SZ_1M + SZ_8K, SZ_16K,
						  SZ_16K, ~0ULL, NOWAIT),
			-ENOMEM);
	kunit_fail_nth_disarm(&fail);
	expect_unchanged(test, t, &s);
	/*
	 * A merge into the inline entry, its move into the first chunk, and
	 * a later chunk that fails: the entry is back inline, as it was.
	 * Each fault point in turn, since kmemleak may add some of its own.
	 */
	for (n = 1; ; n++) {
		long allocs = counts(test)->allocs;
		unsigned int left;
		int ret;

		KUNIT_ASSERT_LT(test, n, 64);
		kunit_fail_nth_arm(&fail, n);
		ret = dma_sg_append_split(t, SZ_1M + SZ_8K, SZ_8K + 8 * SZ_16K,
					  SZ_16K, ~0ULL, NOWAIT);
		left = kunit_fail_nth_disarm(&fail);
		if (!ret) {
			/* Fewer than n fault points: each one has failed once. */
			if (left)
				break;
			/* A fault elsewhere: start again from the inline entry. */
			dma_sg_table_free(t);
			KUNIT_ASSERT_EQ(test, dma_sg_append(t, SZ_1M, SZ_8K, NOWAIT),
					0);
			continue;
		}
		KUNIT_ASSERT_EQ(test, ret, -ENOMEM);
		expect_unchanged(test, t, &s);
		KUNIT_EXPECT_EQ(test, counts(test)->live, 0);
		moved |= counts(test)->allocs > allocs;
	}
	KUNIT_EXPECT_TRUE(test, moved);
	model_release(test, &s);
	free_table(test, t);

	/* A failed split into an empty table keeps its size hint. */
	t = new_table(test, 0);
	dma_sg_table_size_hint(t, 4);
	snap_take(test, &s, t);
	kunit_fail_nth_arm(&fail, 1);
	KUNIT_EXPECT_EQ(test, dma_sg_append_split(t, 0, 2 * SZ_4K, SZ_4K,
						  ~0ULL, NOWAIT), -ENOMEM);
	kunit_fail_nth_disarm(&fail);
	expect_unchanged(test, t, &s);
	/* The first chunk after the inline entry holds the hinted four. */
	counts(test)->allocs = 0;
	fill_gapped(test, t, NULL, 4, 0);
	KUNIT_EXPECT_EQ(test, counts(test)->allocs, 1);
	n = struct_size(t->first, ents, 4);
	KUNIT_EXPECT_EQ(test, ksize(t->first), roundup_pow_of_two(n));
	KUNIT_EXPECT_PTR_EQ(test, t->first, t->tail);
	model_release(test, &m);
	free_table(test, t);
}

/* Bytes of the chunk that a size hint asks for @ents entries. */
static size_t hinted_bytes(u64 ents)
{
	return min_t(size_t, PAGE_SIZE,
		     roundup_pow_of_two(struct_size_t(struct dma_sg_chunk, ents,
						      ents)));
}

/*
 * A size hint sizes the chunks for the entries still expected, up to a
 * page each, in as little memory as powers of two allow; without one, or
 * once the table is freed, chunks double.
 */
static void dma_sg_test_size_hint(struct kunit *test)
{
	struct dma_sg_table *t = new_table(test, 0);
	u64 big = 3 * (u64)DMA_SG_CHUNK_ENTS + 10;
	u64 half = max(DMA_SG_CHUNK_ENTS / 2, 2U);
	const struct dma_sg_chunk *c;
	size_t rest = 0, fit;
	struct model m;
	u64 n;

	model_init(test, &m, big);
	dma_sg_table_size_hint(t, half);
	fill_gapped(test, t, &m, half, 0);
	KUNIT_EXPECT_PTR_EQ(test, t->first, t->tail);
	KUNIT_EXPECT_EQ(test, ksize(t->first), hinted_bytes(half));
	KUNIT_EXPECT_EQ(test, counts(test)->allocs, 1);
	/* Past the hint: the doubling rule again. */
	fill_gapped(test, t, &m, t->first->max_ents - half + 1, SZ_1G);
	KUNIT_EXPECT_EQ(test, ksize(t->tail),
			min_t(size_t, 2 * hinted_bytes(half), PAGE_SIZE));
	expect_model(test, t, &m);
	model_release(test, &m);
	free_table(test, t);
	KUNIT_EXPECT_EQ(test, t->size_hint, 0);

	/* Forgotten by the free: two entries take the smallest chunk. */
	fill_gapped(test, t, NULL, 2, 0);
	KUNIT_EXPECT_EQ(test, ksize(t->first), DMA_SG_MIN_CHUNK);
	dma_sg_table_free(t);
	check_chain(test, t);

	/*
	 * More than a page's worth: page-sized chunks from the first, and the
	 * entries left over in no more than the smallest chunk that fits them.
	 */
	t = new_table(test, 0);
	model_init(test, &m, big);
	counts(test)->allocs = 0;
	dma_sg_table_size_hint(t, big);
	fill_gapped(test, t, &m, big, 0);
	expect_model(test, t, &m);
	for (c = t->first, n = 0; c; c = c->next) {
		if (n + DMA_SG_CHUNK_ENTS <= big)
			KUNIT_EXPECT_EQ(test, ksize(c), PAGE_SIZE);
		else
			rest += ksize(c);
		n += c->nents;
	}
	fit = struct_size_t(struct dma_sg_chunk, ents, big % DMA_SG_CHUNK_ENTS);
	if (big % DMA_SG_CHUNK_ENTS)
		KUNIT_EXPECT_LE(test, rest, max_t(size_t, DMA_SG_MIN_CHUNK,
						  roundup_pow_of_two(fit)));
	KUNIT_EXPECT_LE(test, counts(test)->allocs,
			DIV_ROUND_UP(big, DMA_SG_CHUNK_ENTS) + 1);
	model_release(test, &m);
	free_table(test, t);

	/*
	 * One entry past a power of two: a chunk of that size and the
	 * smallest one, not one of twice the size.
	 */
	if (PAGE_SIZE < 8 * DMA_SG_MIN_CHUNK)
		return;
	t = new_table(test, 0);
	counts(test)->allocs = 0;
	n = chunk_cap(PAGE_SIZE / 4) + 1;
	dma_sg_table_size_hint(t, n);
	fill_gapped(test, t, NULL, n, 0);
	KUNIT_EXPECT_EQ(test, ksize(t->first), PAGE_SIZE / 4);
	KUNIT_EXPECT_EQ(test, ksize(t->tail), DMA_SG_MIN_CHUNK);
	KUNIT_EXPECT_EQ(test, counts(test)->allocs, 2);
	dma_sg_table_free(t);
	check_chain(test, t);
}

static void dma_sg_test_init(struct kunit *test)
{
	struct dma_sg_block_iter biter;
	struct dma_sg_table *t;
	struct dma_sg_iter it;
	struct dma_sg *sg;
	u64 n = 0;

	t = new_table(test, DMA_SG_NO_MERGE | DMA_SG_CALLER_CHUNK);
	/* Only DMA_SG_NO_MERGE is the caller's to set. */
	KUNIT_EXPECT_EQ(test, t->flags, DMA_SG_NO_MERGE);
	check_chain(test, t);
	KUNIT_EXPECT_EQ(test, dma_sg_table_nents(t), 0);
	KUNIT_EXPECT_EQ(test, dma_sg_table_len(t), 0);
	dma_sg_for_each(t, sg, it)
		n++;
	dma_sg_for_each_block(t, biter, SZ_4K)
		n++;
	KUNIT_EXPECT_EQ(test, n, 0);
	KUNIT_EXPECT_EQ(test, dma_sg_truncate(t, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_sg_truncate(t, 0), 0);
	dma_sg_table_free(t);
	dma_sg_table_free(t);
	check_chain(test, t);
	KUNIT_EXPECT_EQ(test, counts(test)->allocs, 0);

	dma_sg_table_init(t, 0);
	KUNIT_EXPECT_EQ(test, t->flags, 0);
	free_table(test, t);
}

/*
 * A caller chunk on the stack: tables that fit need no allocation at all,
 * which fail_nth proves (no fault point is reached) as well as the
 * counting stub, and the chunk is never freed.
 */
static void dma_sg_test_caller_chunk_stack(struct kunit *test)
{
	DMA_SG_FIRST_CHUNK(storage, 8);
	struct kunit_fail_nth fail;
	struct dma_sg_table t;
	struct model m, s;
	bool can_fail;
	int i;

	caller_storage(test, &storage, sizeof(storage));
	model_init(test, &m, 64);
	dma_sg_table_init_chunk(&t, storage, 0);
	KUNIT_EXPECT_PTR_EQ(test, t.first, &storage.chunk);
	KUNIT_EXPECT_EQ(test, t.first->max_ents, 8);
	KUNIT_EXPECT_EQ(test, t.flags, DMA_SG_CALLER_CHUNK);
	check_chain(test, &t);

	can_fail = !kunit_fail_nth_init(&fail, 0);
	for (int round = 0; round < 2; round++) {
		unsigned int left;

		kunit_fail_nth_arm(&fail, 1);
		for (i = 0; i < 8; i++) {
			dma_addr_t addr = SZ_1M + i * SZ_8K;

			KUNIT_EXPECT_EQ(test, dma_sg_append(&t, addr, SZ_4K, NOWAIT),
					0);
			model_new(test, &m, addr, SZ_4K);
		}
		left = kunit_fail_nth_disarm(&fail);
		if (can_fail) {
			/* Nothing reached a fault point... */
			KUNIT_EXPECT_EQ(test, left, 1);
			snap_take(test, &s, &t);
			/* ...and the ninth entry, which needs one, fails. */
			kunit_fail_nth_arm(&fail, 1);
			KUNIT_EXPECT_EQ(test, dma_sg_append(&t, 0, SZ_4K, NOWAIT),
					-ENOMEM);
			left = kunit_fail_nth_disarm(&fail);
			KUNIT_EXPECT_EQ(test, left, 0);
			expect_unchanged(test, &t, &s);
			model_release(test, &s);
		}
		KUNIT_EXPECT_EQ(test, counts(test)->allocs, round);
		expect_model(test, &t, &m);

		KUNIT_EXPECT_EQ(test, dma_sg_append(&t, 0, SZ_4K, GFP_KERNEL), 0);
		model_new(test, &m, 0, SZ_4K);
		KUNIT_EXPECT_EQ(test, counts(test)->allocs, round + 1);
		KUNIT_EXPECT_NOT_NULL(test, t.first->next);
		expect_model(test, &t, &m);

		/* Free keeps the caller chunk attached, ready for reuse. */
		dma_sg_table_free(&t);
		model_truncate(&m, 0);
		KUNIT_EXPECT_PTR_EQ(test, t.first, &storage.chunk);
		KUNIT_EXPECT_PTR_EQ(test, t.tail, &storage.chunk);
		expect_model(test, &t, &m);
	}
}

/* A caller chunk embedded in the caller's own structure. */
struct holder {
	u64 before;
	struct dma_sg_table table;

	DMA_SG_FIRST_CHUNK(first, 4);
	u64 after;
};

#define CANARY 0x5afe5afe5afe5afeULL

static void dma_sg_test_caller_chunk_embedded(struct kunit *test)
{
	DMA_SG_FIRST_CHUNK(tiny, 0);
	struct holder *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	struct dma_sg_table t;
	struct model m;
	u64 i;

	KUNIT_ASSERT_NOT_NULL(test, h);
	caller_storage(test, &h->first, sizeof(h->first));
	h->before = CANARY;
	h->after = CANARY;
	model_init(test, &m, 16);
	dma_sg_table_init_chunk(&h->table, h->first, DMA_SG_NO_MERGE);
	KUNIT_EXPECT_EQ(test, h->table.flags,
			DMA_SG_NO_MERGE | DMA_SG_CALLER_CHUNK);
	KUNIT_EXPECT_EQ(test, h->first.chunk.max_ents, 4);

	/* Contiguous, but the table does not merge. */
	for (i = 0; i < 6; i++) {
		KUNIT_ASSERT_EQ(test, dma_sg_append(&h->table, i * SZ_4K, SZ_4K,
						    GFP_KERNEL), 0);
		model_new(test, &m, i * SZ_4K, SZ_4K);
	}
	expect_model(test, &h->table, &m);
	KUNIT_EXPECT_EQ(test, h->first.chunk.nents, 4);
	KUNIT_EXPECT_EQ(test, counts(test)->live, 1);

	KUNIT_EXPECT_EQ(test, dma_sg_truncate(&h->table, 3), 0);
	model_truncate(&m, 3);
	expect_model(test, &h->table, &m);
	KUNIT_EXPECT_NULL(test, h->first.chunk.next);

	dma_sg_table_free(&h->table);
	model_truncate(&m, 0);
	expect_model(test, &h->table, &m);
	KUNIT_EXPECT_PTR_EQ(test, h->table.first, &h->first.chunk);
	KUNIT_EXPECT_EQ(test, h->before, CANARY);
	KUNIT_EXPECT_EQ(test, h->after, CANARY);

	/* Room for more than U32_MAX entries is capped; two are used. */
	if (SIZE_MAX / sizeof(struct dma_sg) > U32_MAX) {
		__dma_sg_table_init_chunk(&t, &h->first.chunk, SIZE_MAX, 0);
		KUNIT_EXPECT_EQ(test, h->first.chunk.max_ents, U32_MAX);
		KUNIT_EXPECT_EQ(test, dma_sg_append(&t, 0, 1, GFP_KERNEL), 0);
		KUNIT_EXPECT_EQ(test, dma_sg_append(&t, 2, 1, GFP_KERNEL), 0);
		KUNIT_EXPECT_EQ(test, h->first.chunk.nents, 2);
		KUNIT_EXPECT_EQ(test, counts(test)->allocs, 1);
		dma_sg_table_free(&t);
	}

	/* Storage too small for one entry is ignored. */
	dma_sg_table_init_chunk(&t, tiny, 0);
	KUNIT_EXPECT_NULL(test, t.first);
	KUNIT_EXPECT_EQ(test, t.flags, 0);
	KUNIT_EXPECT_EQ(test, dma_sg_append(&t, 0, 1, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, t.flags, DMA_SG_INLINE);
	KUNIT_EXPECT_EQ(test, dma_sg_append(&t, 2, 1, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, counts(test)->live, 1);
	dma_sg_table_free(&t);
	KUNIT_EXPECT_EQ(test, counts(test)->live, 0);
}

struct want_range {
	u64 addr;
	u64 len;
};

static void expect_ranges(struct kunit *test, const struct dma_sg_table *t,
			  const struct want_range *r, unsigned int n)
{
	struct model m;
	unsigned int i;

	model_init(test, &m, n);
	for (i = 0; i < n; i++)
		model_new(test, &m, r[i].addr, r[i].len);
	expect_model(test, t, &m);
	model_release(test, &m);
}

static void dma_sg_test_append_merge(struct kunit *test)
{
	static const struct want_range in[] = {
		{ 0x1000, 0x1000 }, { 0x2000, 0x3000 }, { 0x10000, 0x1000 },
		{ 0xf000, 0x1000 }, { 0x11000, 1 }, { 0x11001, 0xfff },
	};
	static const struct want_range merged[] = {
		{ 0x1000, 0x4000 }, { 0x10000, 0x1000 }, { 0xf000, 0x1000 },
		{ 0x11000, 0x1000 },
	};
	struct dma_sg_table *t = new_table(test, 0);
	struct dma_sg_table *u = new_table(test, DMA_SG_NO_MERGE);
	unsigned int i;

	counts(test)->many_tables = true;
	for (i = 0; i < ARRAY_SIZE(in); i++) {
		KUNIT_ASSERT_EQ(test, dma_sg_append(t, in[i].addr, in[i].len,
						    GFP_KERNEL), 0);
		KUNIT_ASSERT_EQ(test, dma_sg_append(u, in[i].addr, in[i].len,
						    GFP_KERNEL), 0);
	}
	/* Only a range starting where the last entry ends merges. */
	expect_ranges(test, t, merged, ARRAY_SIZE(merged));
	expect_ranges(test, u, in, ARRAY_SIZE(in));
	free_table(test, t);
	free_table(test, u);
	KUNIT_EXPECT_EQ(test, counts(test)->live, 0);
}

/* The top of the address space, at either width of dma_addr_t. */
static void dma_sg_test_append_top(struct kunit *test)
{
	static const struct want_range top[] = {
		{ ADDR_MAX, 1 }, { ADDR_MAX - 15, 16 },
	};
	/* An entry ending at the top "ends" at 0: no merge with 0. */
	static const struct want_range wrap[] = {
		{ ADDR_MAX - 0xfff, 0x1000 }, { 0, 0x1000 },
		{ ADDR_MAX - 0xfff, 0x1000 }, { 0, 0x1000 },
	};
	struct dma_sg_table *t = new_table(test, 0);
	struct model s;

	/* The last byte is usable; a byte more wraps. */
	KUNIT_ASSERT_EQ(test, dma_sg_append(t, ADDR_MAX, 1, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_append(t, ADDR_MAX - 15, 16, GFP_KERNEL),
			0);
	snap_take(test, &s, t);
	KUNIT_EXPECT_EQ(test, dma_sg_append(t, ADDR_MAX - 15, 17, GFP_KERNEL),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, dma_sg_append(t, ADDR_MAX, 2, GFP_KERNEL),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, dma_sg_append_split(t, ADDR_MAX, 2, SZ_4K, ~0ULL,
						  GFP_KERNEL), -EOVERFLOW);
	/* The size of the address space: too long, or 2^64, a zero length. */
	KUNIT_EXPECT_EQ(test, dma_sg_append(t, 1, (u64)ADDR_MAX + 1, GFP_KERNEL),
			(u64)ADDR_MAX + 1 ? -EOVERFLOW : -EINVAL);
	expect_unchanged(test, t, &s);
	model_release(test, &s);
	expect_ranges(test, t, top, ARRAY_SIZE(top));
	dma_sg_table_free(t);

	KUNIT_EXPECT_EQ(test, dma_sg_append(t, 0, U64_MAX, GFP_KERNEL),
			IS_ENABLED(CONFIG_ARCH_DMA_ADDR_T_64BIT) ? 0 : -EOVERFLOW);
	dma_sg_table_free(t);

	KUNIT_ASSERT_EQ(test, dma_sg_append(t, ADDR_MAX - 0xfff, 0x1000,
					    GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_append(t, 0, 0x1000, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_append_split(t, ADDR_MAX - 0xfff, 0x1000,
						  U64_MAX, ~0ULL, GFP_KERNEL),
			0);
	KUNIT_ASSERT_EQ(test, dma_sg_append_split(t, 0, 0x1000, U64_MAX, ~0ULL,
						  GFP_KERNEL), 0);
	expect_ranges(test, t, wrap, ARRAY_SIZE(wrap));
	free_table(test, t);
}

/* Entries over 4 GiB and up to 2^64 bytes, and bad input. */
static void dma_sg_test_append_limits(struct kunit *test)
{
	struct dma_sg_table *t = new_table(test, 0);
	struct model s;

	if (!IS_ENABLED(CONFIG_ARCH_DMA_ADDR_T_64BIT))
		kunit_skip(test, "needs a 64-bit dma_addr_t");

	{
		static const struct want_range big[] = {
			{ 0, SZ_4G + 1 }, { SZ_1T, 5 * SZ_4G + SZ_2G },
		};

		/* Casts: this case is skipped where they would truncate. */
		KUNIT_ASSERT_EQ(test, dma_sg_append(t, 0, SZ_4G, GFP_KERNEL), 0);
		KUNIT_ASSERT_EQ(test, dma_sg_append(t, (dma_addr_t)SZ_4G, 1,
						    GFP_KERNEL), 0);
		KUNIT_ASSERT_EQ(test, dma_sg_append(t, (dma_addr_t)SZ_1T,
						    5 * SZ_4G, GFP_KERNEL), 0);
		KUNIT_ASSERT_EQ(test, dma_sg_append(t, (dma_addr_t)(SZ_1T +
								  5 * SZ_4G),
						    SZ_2G, GFP_KERNEL), 0);
		expect_ranges(test, t, big, ARRAY_SIZE(big));
	}

	snap_take(test, &s, t);
	KUNIT_EXPECT_EQ(test, dma_sg_append(t, 0x1000, 0, GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_sg_append(t, ADDR_MAX - 0xfff, 0x1001,
					    GFP_KERNEL), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, dma_sg_append(t, ADDR_MAX, 2, GFP_KERNEL),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, dma_sg_append(t, 1, U64_MAX, GFP_KERNEL),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, dma_sg_append_split(t, ADDR_MAX, 2, SZ_4K, ~0ULL,
						  GFP_KERNEL), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, dma_sg_append_split(t, 0x1000, 0, SZ_4K, ~0ULL,
						  GFP_KERNEL), -EINVAL);
	expect_unchanged(test, t, &s);
	model_release(test, &s);
	dma_sg_table_free(t);

	/* The longest possible entry, then a total that would overflow. */
	{
		static const struct want_range all[] = { { 0, U64_MAX } };

		KUNIT_ASSERT_EQ(test, dma_sg_append(t, 0, 1ULL << 63,
						    GFP_KERNEL), 0);
		KUNIT_ASSERT_EQ(test, dma_sg_append(t, (dma_addr_t)(1ULL << 63),
						    (1ULL << 63) - 1,
						    GFP_KERNEL), 0);
		expect_ranges(test, t, all, ARRAY_SIZE(all));
	}
	snap_take(test, &s, t);
	KUNIT_EXPECT_EQ(test, dma_sg_append(t, ADDR_MAX, 1, GFP_KERNEL),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, dma_sg_append_split(t, ADDR_MAX, 1, SZ_4K, ~0ULL,
						  GFP_KERNEL), -EOVERFLOW);
	expect_unchanged(test, t, &s);
	model_release(test, &s);
	free_table(test, t);
}

struct split_step {
	u64 addr;
	u64 len;
	u64 max;
	u64 mask;
};

/* Run @steps of dma_sg_append_split() on a new table, expect @want. */
static void split_expect(struct kunit *test, unsigned int flags,
			 const struct split_step *steps, unsigned int nsteps,
			 const struct want_range *want, unsigned int nwant)
{
	struct dma_sg_table *t = new_table(test, flags);
	unsigned int i;

	for (i = 0; i < nsteps; i++)
		KUNIT_ASSERT_EQ(test, dma_sg_append_split(t, steps[i].addr,
							  steps[i].len,
							  steps[i].max,
							  steps[i].mask,
							  GFP_KERNEL), 0);
	expect_ranges(test, t, want, nwant);
	free_table(test, t);
}

static void dma_sg_test_split_rules(struct kunit *test)
{
	/* Boundaries, then a range that fills the last entry first. */
	static const struct split_step b[] = {
		{ 0x1800, 0x3000, 0x10000, 0xfff },
		{ 0x4800, 0x2000, 0x10000, 0xfff },
	};
	static const struct want_range b_want[] = {
		{ 0x1800, 0x800 }, { 0x2000, 0x1000 }, { 0x3000, 0x1000 },
		{ 0x4000, 0x1000 }, { 0x5000, 0x1000 }, { 0x6000, 0x800 },
	};
	/* max_seg_size, merging and not. */
	static const struct split_step s[] = {
		{ 0, 10, 4, ~0ULL }, { 10, 5, 4, ~0ULL },
	};
	static const struct want_range s_merge[] = {
		{ 0, 4 }, { 4, 4 }, { 8, 4 }, { 12, 3 },
	};
	static const struct want_range s_nomerge[] = {
		{ 0, 4 }, { 4, 4 }, { 8, 2 }, { 10, 4 }, { 14, 1 },
	};
	/* Mask 1: two-byte windows. */
	static const struct split_step one[] = { { 1, 4, 100, 1 } };
	static const struct want_range one_want[] = { { 1, 1 }, { 2, 2 }, { 4, 1 } };
	/* The top of the address space, and no merge across it. */
	static const struct split_step top[] = {
		{ ADDR_MAX - 0x1fff, 0x2000, U64_MAX, 0xfff },
		{ 0, 0x1000, U64_MAX, ~0ULL },
		{ 0x1000, 0x1000, U64_MAX, ~0ULL },
		{ ADDR_MAX - 0xfff, 0x1000, U64_MAX, ~0ULL },
		{ ADDR_MAX - 0x1fff, 0x2000, 0x1000, U32_MAX },
	};
	static const struct want_range top_want[] = {
		{ ADDR_MAX - 0x1fff, 0x1000 }, { ADDR_MAX - 0xfff, 0x1000 },
		{ 0, 0x2000 }, { ADDR_MAX - 0xfff, 0x1000 },
		{ ADDR_MAX - 0x1fff, 0x1000 }, { ADDR_MAX - 0xfff, 0x1000 },
	};

	split_expect(test, 0, b, ARRAY_SIZE(b), b_want,
		     ARRAY_SIZE(b_want));
	split_expect(test, 0, s, ARRAY_SIZE(s), s_merge,
		     ARRAY_SIZE(s_merge));
	split_expect(test, DMA_SG_NO_MERGE, s, ARRAY_SIZE(s), s_nomerge,
		     ARRAY_SIZE(s_nomerge));
	split_expect(test, 0, one, ARRAY_SIZE(one), one_want,
		     ARRAY_SIZE(one_want));
	split_expect(test, 0, top, ARRAY_SIZE(top), top_want,
		     ARRAY_SIZE(top_want));

	if (!IS_ENABLED(CONFIG_ARCH_DMA_ADDR_T_64BIT))
		kunit_skip(test, "needs a 64-bit dma_addr_t");
	{
		/* 4 GiB segments; 4 GiB boundaries with unlimited size. */
		static const struct split_step g[] = {
			{ 0, 3 * SZ_4G + 5, SZ_4G, ~0ULL },
			{ SZ_1T + SZ_4G - 1, SZ_4G + 2, U64_MAX, SZ_4G - 1 },
		};
		static const struct want_range g_want[] = {
			{ 0, SZ_4G }, { SZ_4G, SZ_4G }, { 2 * SZ_4G, SZ_4G },
			{ 3 * SZ_4G, 5 }, { SZ_1T + SZ_4G - 1, 1 },
			{ SZ_1T + SZ_4G, SZ_4G }, { SZ_1T + 2 * SZ_4G, 1 },
		};
		static const struct split_step whole[] = {
			{ 0, U64_MAX, U64_MAX, ~0ULL },
		};
		static const struct want_range whole_want[] = { { 0, U64_MAX } };

		split_expect(test, 0, g, ARRAY_SIZE(g), g_want,
			     ARRAY_SIZE(g_want));
		split_expect(test, 0, whole, ARRAY_SIZE(whole), whole_want,
			     ARRAY_SIZE(whole_want));
	}
}

/* Merging into an entry that dma_sg_append() made without limits. */
static void dma_sg_test_split_after_append(struct kunit *test)
{
	static const struct want_range big[] = { { 0, 0x3000 }, { 0x3000, 0x100 } };
	static const struct want_range cross[] = {
		{ 0x800, 0x1000 }, { 0x1800, 0x100 },
	};
	static const struct want_range fill[] = {
		{ 0x1000, 0x1000 }, { 0x2000, 0x800 },
	};
	static const struct want_range apart[] = {
		{ 0xf000, 0x1000 }, { 0x10000, 0x1000 },
	};
	struct dma_sg_table *t = new_table(test, 0);

	/* Already over max_seg_size: left alone. */
	KUNIT_ASSERT_EQ(test, dma_sg_append(t, 0, 0x3000, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_append_split(t, 0x3000, 0x100, 0x1000,
						  ~0ULL, GFP_KERNEL), 0);
	expect_ranges(test, t, big, ARRAY_SIZE(big));
	dma_sg_table_free(t);

	/* Already across a boundary: left alone. */
	KUNIT_ASSERT_EQ(test, dma_sg_append(t, 0x800, 0x1000, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_append_split(t, 0x1800, 0x100, 0x10000,
						  0xfff, GFP_KERNEL), 0);
	expect_ranges(test, t, cross, ARRAY_SIZE(cross));
	dma_sg_table_free(t);

	/* Within limits: filled up to the boundary. */
	KUNIT_ASSERT_EQ(test, dma_sg_append(t, 0x1000, 0x800, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_append_split(t, 0x1800, 0x1000, 0x10000,
						  0xfff, GFP_KERNEL), 0);
	expect_ranges(test, t, fill, ARRAY_SIZE(fill));
	dma_sg_table_free(t);

	/* A boundary between the last entry and the range: no merge. */
	KUNIT_ASSERT_EQ(test, dma_sg_append(t, 0xf000, 0x1000, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_append_split(t, 0x10000, 0x1000, U64_MAX,
						  0xffff, GFP_KERNEL), 0);
	expect_ranges(test, t, apart, ARRAY_SIZE(apart));
	free_table(test, t);
}

static void dma_sg_test_split_bad_limits(struct kunit *test)
{
	static const u64 bad_masks[] = {
		0, 0x1000, 0x1001, 0xf0, 0x5, 1ULL << 63, ~0ULL - 1,
	};
	static const u64 good_masks[] = { 1, 0xfff, SZ_4G - 1, ~0ULL >> 1, ~0ULL };
	struct dma_sg_table *t = new_table(test, 0);
	struct model s;
	unsigned int i;

	fill_gapped(test, t, NULL, 3, 0);
	snap_take(test, &s, t);
	for (i = 0; i < ARRAY_SIZE(bad_masks); i++)
		KUNIT_EXPECT_EQ_MSG(test, dma_sg_append_split(t, SZ_1M, SZ_4K,
							      SZ_64K,
							      bad_masks[i],
							      GFP_KERNEL),
				    -EINVAL, "mask %llx", bad_masks[i]);
	KUNIT_EXPECT_EQ(test, dma_sg_append_split(t, SZ_1M, SZ_4K, 0, ~0ULL,
						  GFP_KERNEL), -EINVAL);
	/* Contiguous with the last entry: still nothing merged. */
	KUNIT_EXPECT_EQ(test, dma_sg_append_split(t, 2 * SZ_8K + SZ_4K, SZ_4K,
						  0, 0xfff, GFP_KERNEL), -EINVAL);
	expect_unchanged(test, t, &s);
	model_release(test, &s);

	for (i = 0; i < ARRAY_SIZE(good_masks); i++)
		KUNIT_EXPECT_EQ_MSG(test, dma_sg_append_split(t, SZ_1M * (i + 1),
							      2, SZ_64K,
							      good_masks[i],
							      GFP_KERNEL),
				    0, "mask %llx", good_masks[i]);
	KUNIT_EXPECT_EQ(test, dma_sg_table_nents(t), 3 + ARRAY_SIZE(good_masks));
	free_table(test, t);
}

static void dma_sg_test_walk(struct kunit *test)
{
	DMA_SG_FIRST_CHUNK(storage, 2);
	struct dma_sg_table t;
	struct dma_sg_iter it;
	struct dma_sg *sg;
	struct model m;
	u64 i = 0;

	caller_storage(test, &storage, sizeof(storage));
	dma_sg_table_init_chunk(&t, storage, 0);
	/* A caller chunk is attached, but there is nothing to walk. */
	dma_sg_for_each(&t, sg, it)
		i++;
	KUNIT_EXPECT_EQ(test, i, 0);

	model_init(test, &m, 2 * ENTS + 7);
	fill_gapped(test, &t, &m, m.cap, SZ_1G);
	expect_model(test, &t, &m);

	/* Entries may be changed in place during the walk. */
	dma_sg_for_each(&t, sg, it)
		sg->addr += 1;
	for (i = 0; i < m.nents; i++)
		m.ents[i].addr += 1;
	expect_model(test, &t, &m);
	dma_sg_table_free(&t);
	check_chain(test, &t);
}

/* Walk @t in blocks of @pgsz and compare with blocks computed per entry. */
static void expect_blocks(struct kunit *test, const struct dma_sg_table *t,
			  u64 pgsz)
{
	struct dma_sg_block_iter biter;
	struct dma_sg *sg;
	struct dma_sg_iter it;
	bool more;
	u64 k = 0, total = 0;

	more = dma_sg_block_iter_start(&biter, t, pgsz);
	dma_sg_for_each(t, sg, it) {
		dma_addr_t first = sg->addr & ~(dma_addr_t)(pgsz - 1);
		dma_addr_t last = (sg->addr + (sg->len - 1)) &
				  ~(dma_addr_t)(pgsz - 1);
		u64 n = (last - first) / pgsz + 1;

		for (k = 0; k < n; k++) {
			KUNIT_ASSERT_TRUE(test, more);
			KUNIT_ASSERT_EQ_MSG(test,
					    dma_sg_block_iter_dma_address(&biter),
					    first + k * pgsz, "pgsz %llx", pgsz);
			more = dma_sg_block_iter_next(&biter);
			total++;
		}
	}
	KUNIT_EXPECT_FALSE(test, more);

	/* The macro form yields the same number. */
	k = 0;
	dma_sg_for_each_block(t, biter, pgsz)
		k++;
	KUNIT_EXPECT_EQ(test, k, total);
}

static void dma_sg_test_blocks(struct kunit *test)
{
	static const u64 pgsz[] = { SZ_4K, SZ_64K, SZ_2M, SZ_1G, 1ULL << 40 };
	static const u64 seeds[] = { 1, 0xb10c };
	struct dma_sg_block_iter biter;
	dma_addr_t got[6];
	struct dma_sg_table *t = new_table(test, 0);
	unsigned int i, n = 0;

	/* Two entries sharing a block: it is yielded for each. */
	KUNIT_ASSERT_EQ(test, dma_sg_append(t, 0x1800, 0x1000, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_append(t, 0x2900, 0x10, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, dma_sg_append(t, ADDR_MAX - 0x1fff, 0x2000,
					    GFP_KERNEL), 0);
	dma_sg_for_each_block(t, biter, SZ_4K) {
		KUNIT_ASSERT_LT(test, n, ARRAY_SIZE(got));
		got[n++] = dma_sg_block_iter_dma_address(&biter);
	}
	KUNIT_ASSERT_EQ(test, n, 5);
	KUNIT_EXPECT_EQ(test, got[0], 0x1000);
	KUNIT_EXPECT_EQ(test, got[1], 0x2000);
	KUNIT_EXPECT_EQ(test, got[2], 0x2000);
	KUNIT_EXPECT_EQ(test, got[3], ADDR_MAX - 0x1fff);
	KUNIT_EXPECT_EQ(test, got[4], ADDR_MAX - 0xfff);
	/* Every block size, up to blocks larger than the address space. */
	for (i = 0; i < 64; i++)
		expect_blocks(test, t, 1ULL << i);
	dma_sg_table_free(t);

	if (!IS_ENABLED(CONFIG_ARCH_DMA_ADDR_T_64BIT))
		kunit_skip(test, "needs a 64-bit dma_addr_t");

	/* Random entries, some huge and some at the top of the space. */
	for (i = 0; i < ARRAY_SIZE(seeds); i++) {
		struct rnd_state r;
		unsigned int j, p;

		prandom_seed_state(&r, seeds[i]);
		for (j = 0; j < 300; j++) {
			u32 kind = prandom_u32_state(&r) % 16;
			u64 len = rnd_in(&r, 1, SZ_4M);
			dma_addr_t addr = rnd64(&r) >> 16;

			if (kind == 0 && !(j % 4))
				len = SZ_4G + rnd_in(&r, 1, SZ_1M);
			if (kind == 1)
				addr = ADDR_MAX - len + 1;
			KUNIT_ASSERT_EQ(test, dma_sg_append(t, addr, len,
							    GFP_KERNEL), 0);
		}
		check_chain(test, t);
		for (p = 0; p < ARRAY_SIZE(pgsz); p++)
			expect_blocks(test, t, pgsz[p]);
		expect_blocks(test, t, 1ULL << 63);
		dma_sg_table_free(t);
	}
	free_table(test, t);
}

static void dma_sg_test_truncate(struct kunit *test)
{
	/* Past the first page-sized chunks, then chunk boundaries. */
	u64 e1 = chunk_end(0, 9), e2 = chunk_end(0, 10);
	const u64 to[] = {
		e2 + 3, e2 + 1, e2, e1 + 1, e1, e1 / 2, 4, 2, 1,
	};
	struct dma_sg_table *t = new_table(test, 0);
	u64 n = e2 + 10;
	struct model m, s;
	unsigned int i;

	model_init(test, &m, n + 1);
	fill_gapped(test, t, &m, n, 0);
	expect_model(test, t, &m);

	snap_take(test, &s, t);
	KUNIT_EXPECT_EQ(test, dma_sg_truncate(t, n + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_sg_truncate(t, U64_MAX), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_sg_truncate(t, n), 0);
	expect_unchanged(test, t, &s);
	model_release(test, &s);

	for (i = 0; i < ARRAY_SIZE(to); i++) {
		KUNIT_ASSERT_EQ(test, dma_sg_truncate(t, to[i]), 0);
		model_truncate(&m, to[i]);
		expect_model(test, t, &m);
		KUNIT_EXPECT_EQ(test, counts(test)->live, chunks_for(to[i], 0));
		if (to[i] > 1)
			KUNIT_EXPECT_EQ(test, t->tail->nents,
					tail_nents_for(to[i], 0));
	}

	/* The new last entry takes merges, and the tail takes appends. */
	KUNIT_ASSERT_EQ(test, dma_sg_append(t, SZ_4K, SZ_4K, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, model_append(&m, SZ_4K, SZ_4K, true), 0);
	fill_gapped(test, t, &m, ENTS + 2, SZ_1G);
	expect_model(test, t, &m);

	KUNIT_ASSERT_EQ(test, dma_sg_truncate(t, 0), 0);
	model_truncate(&m, 0);
	expect_model(test, t, &m);
	KUNIT_EXPECT_NULL(test, t->first);
	free_table(test, t);
}

static void dma_sg_test_free_reuse(struct kunit *test)
{
	struct dma_sg_table *t = new_table(test, 0);
	struct model m;
	int round;

	model_init(test, &m, ENTS + 1);
	for (round = 0; round < 3; round++) {
		model_truncate(&m, 0);
		fill_gapped(test, t, &m, ENTS + 1, (u64)round * SZ_1G);
		expect_model(test, t, &m);
		KUNIT_EXPECT_EQ(test, counts(test)->live,
				chunks_for(ENTS + 1, 0));
		dma_sg_table_free(t);
		model_truncate(&m, 0);
		expect_model(test, t, &m);
		KUNIT_EXPECT_NULL(test, t->first);
		KUNIT_EXPECT_NULL(test, t->tail);
	}
	KUNIT_EXPECT_EQ(test, counts(test)->allocs, 3 * chunks_for(ENTS + 1, 0));
	free_table(test, t);
}

/*
 * Tables around the ends of the first chunks and of two page-sized ones,
 * built by append and by split.
 */
static void dma_sg_test_chunk_boundaries(struct kunit *test)
{
	u64 e2 = chunk_end(0, 2), e9 = chunk_end(0, 9), e10 = chunk_end(0, 10);
	const u64 sizes[] = {
		1, 2, e2 - 1, e2, e2 + 1, e9 - 1, e9, e9 + 1, e10 - 1, e10,
		e10 + 1,
	};
	struct dma_sg_table *t = new_table(test, 0);
	unsigned int i;
	struct model m;

	model_init(test, &m, e10 + 1);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		u64 n = sizes[i], k;

		model_truncate(&m, 0);
		fill_gapped(test, t, &m, n, 0);
		expect_model(test, t, &m);
		KUNIT_EXPECT_EQ(test, counts(test)->live, chunks_for(n, 0));
		for (k = n; k > 0; k -= min_t(u64, k, ENTS)) {
			KUNIT_ASSERT_EQ(test, dma_sg_truncate(t, k), 0);
			model_truncate(&m, k);
			expect_model(test, t, &m);
		}
		dma_sg_table_free(t);

		/* One split call producing exactly n entries. */
		model_truncate(&m, 0);
		KUNIT_ASSERT_EQ(test, dma_sg_append_split(t, SZ_4K, n * SZ_4K,
							  SZ_4K, ~0ULL,
							  GFP_KERNEL), 0);
		KUNIT_ASSERT_EQ(test, model_split(&m, SZ_4K, n * SZ_4K,
						  SZ_4K, ~0ULL, true), 0);
		KUNIT_EXPECT_EQ(test, m.nents, n);
		expect_model(test, t, &m);
		dma_sg_table_free(t);
	}
	free_table(test, t);
}

/* A one-entry caller chunk followed by allocated chunks. */
static void dma_sg_test_caller_chunk_one(struct kunit *test)
{
	DMA_SG_FIRST_CHUNK(one, 1);
	u64 c2 = chunk_end(1, 2);
	struct dma_sg_table t;
	struct model m;

	caller_storage(test, &one, sizeof(one));
	model_init(test, &m, c2 + 1);
	dma_sg_table_init_chunk(&t, one, 0);
	KUNIT_EXPECT_EQ(test, one.chunk.max_ents, 1);
	fill_gapped(test, &t, &m, c2 + 1, 0);
	expect_model(test, &t, &m);
	KUNIT_EXPECT_EQ(test, one.chunk.nents, 1);
	/* The chunk after the caller's is twice its size, rounded up. */
	KUNIT_EXPECT_EQ(test, one.chunk.next->max_ents,
			chunk_cap(2 * sizeof(one)));
	KUNIT_EXPECT_EQ(test, counts(test)->live, 3);
	KUNIT_EXPECT_EQ(test, t.tail->nents, 1);

	KUNIT_EXPECT_EQ(test, dma_sg_truncate(&t, c2), 0);
	model_truncate(&m, c2);
	expect_model(test, &t, &m);
	KUNIT_EXPECT_EQ(test, counts(test)->live, 2);
	KUNIT_EXPECT_EQ(test, dma_sg_truncate(&t, 1), 0);
	model_truncate(&m, 1);
	expect_model(test, &t, &m);
	KUNIT_EXPECT_PTR_EQ(test, t.tail, &one.chunk);
	KUNIT_EXPECT_EQ(test, dma_sg_truncate(&t, 0), 0);
	model_truncate(&m, 0);
	expect_model(test, &t, &m);
	KUNIT_EXPECT_PTR_EQ(test, t.first, &one.chunk);

	/* Reused: the first entry lands in the caller chunk again. */
	KUNIT_EXPECT_EQ(test, dma_sg_append(&t, 0, 1, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, counts(test)->allocs, 3);
	KUNIT_EXPECT_EQ(test, dma_sg_append(&t, 2, 1, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, counts(test)->allocs, 4);
	dma_sg_table_free(&t);
	check_chain(test, &t);
}

/*
 * dma_sg_append_limited() builds exactly the table dma_sg_append_split()
 * builds, over random runs of ranges that are contiguous, cross
 * boundaries, exceed the segment size or fill chunks.
 */
static void dma_sg_test_append_limited(struct kunit *test)
{
	static const u64 masks[] = { SZ_64K - 1, SZ_4K - 1, U32_MAX };
	struct dma_sg_table *a = new_table(test, 0), *b = new_table(test, 0);
	struct dma_sg_iter ia, ib;
	struct dma_sg *sa, *sb;
	struct rnd_state r;
	unsigned int i, k;
	u64 addr = SZ_1M;

	prandom_seed_state(&r, 0x1173);
	for (k = 0; k < ARRAY_SIZE(masks); k++) {
		for (i = 0; i < 2000; i++) {
			u64 len = rnd_in(&r, 1, 3 * SZ_4K);
			u64 max = rnd_in(&r, 0, 3) ? SZ_8K : SZ_64K;

			if (rnd_in(&r, 0, 2))
				addr += rnd_in(&r, 1, SZ_16K);
			KUNIT_ASSERT_EQ(test,
					dma_sg_append_limited(a, addr, len, max,
							      masks[k],
							      GFP_KERNEL),
					dma_sg_append_split(b, addr, len, max,
							    masks[k],
							    GFP_KERNEL));
			addr += len;
		}
		/* Bad limits are refused the same way. */
		KUNIT_EXPECT_EQ(test, dma_sg_append_limited(a, addr, 1, 1, 0,
							    GFP_KERNEL),
				-EINVAL);
		KUNIT_EXPECT_EQ(test, dma_sg_append_limited(a, addr, 1, 1, 5,
							    GFP_KERNEL),
				-EINVAL);
	}
	KUNIT_ASSERT_EQ(test, dma_sg_table_nents(a), dma_sg_table_nents(b));
	KUNIT_EXPECT_EQ(test, dma_sg_table_len(a), dma_sg_table_len(b));
	sb = dma_sg_iter_start(&ib, b);
	dma_sg_for_each(a, sa, ia) {
		KUNIT_ASSERT_NOT_NULL(test, sb);
		KUNIT_EXPECT_EQ(test, (u64)sa->addr, (u64)sb->addr);
		KUNIT_EXPECT_EQ(test, sa->len, sb->len);
		sb = dma_sg_iter_next(&ib);
	}
	dma_sg_table_free(a);
	dma_sg_table_free(b);
}

/*
 * A mapper's use of the table writer: what the writer takes is written as
 * dma_sg_append() would write it, and what it refuses (no tail chunk, an
 * inline entry, a full tail chunk, a range that may merge) goes to
 * dma_sg_append() between dma_sg_writer_end() and dma_sg_writer_start().
 */
static void dma_sg_test_writer(struct kunit *test)
{
	struct dma_sg_table *t = new_table(test, 0);
	u64 addr = SZ_1M, taken = 0, full = 0;
	struct dma_sg_writer w;
	struct rnd_state r;
	struct model m;
	unsigned int i;

	model_init(test, &m, 4000);
	/* An empty table, then one with an inline entry: a full writer. */
	dma_sg_writer_start(t, &w);
	KUNIT_EXPECT_FALSE(test, dma_sg_writer_add(&w, SZ_2M, SZ_4K));
	dma_sg_writer_end(t, &w);
	expect_model(test, t, &m);
	KUNIT_ASSERT_EQ(test, dma_sg_append(t, SZ_2M, SZ_4K, GFP_KERNEL), 0);
	model_new(test, &m, SZ_2M, SZ_4K);
	dma_sg_writer_start(t, &w);
	KUNIT_EXPECT_FALSE(test, dma_sg_writer_add(&w, SZ_4M, SZ_4K));
	dma_sg_writer_end(t, &w);
	expect_model(test, t, &m);

	prandom_seed_state(&r, 0x3717);
	dma_sg_writer_start(t, &w);
	for (i = 0; i < 3000; i++) {
		u64 len = rnd_in(&r, 1, 3 * SZ_4K);
		const struct dma_sg *last = model_last(&m);
		bool merges = model_continues(last, addr);

		/* One range in four continues the last one. */
		if (rnd_in(&r, 0, 3)) {
			addr += rnd_in(&r, 1, SZ_16K);
			merges = false;
		}
		if (dma_sg_writer_add(&w, addr, len)) {
			KUNIT_ASSERT_FALSE(test, merges);
			taken++;
		} else {
			full += !merges;
			dma_sg_writer_end(t, &w);
			KUNIT_ASSERT_EQ(test, dma_sg_append(t, addr, len,
							    GFP_KERNEL), 0);
			dma_sg_writer_start(t, &w);
		}
		KUNIT_ASSERT_EQ(test, model_append(&m, addr, len, true), 0);
		addr += len;
		if (i % 512 == 511) {
			dma_sg_writer_end(t, &w);
			expect_model(test, t, &m);
			dma_sg_writer_start(t, &w);
		}
	}
	dma_sg_writer_end(t, &w);
	expect_model(test, t, &m);
	/*
	 * Each refusal of a range that could not merge started a chunk, the
	 * first one included: the writer never took one with room left.
	 */
	KUNIT_EXPECT_EQ(test, full, chunks_for(m.nents, 0));
	KUNIT_EXPECT_GT(test, taken, m.nents / 2);
	dma_sg_table_free(t);
}

/*
 * The first entry, seeking to a byte, advancing, and walking in pieces of
 * bounded length: pieces never span entries and cover every byte once.
 */
static void dma_sg_test_cursor(struct kunit *test)
{
	static const struct want_range in[] = {
		{ 0x1000, 100 }, { 0x5000, 2 * SZ_4K + 10 }, { 0x20000, 1 },
	};
	static const struct want_range pieces[] = {
		{ 0x1000, 100 }, { 0x5000, SZ_4K }, { 0x6000, SZ_4K },
		{ 0x7000, 10 }, { 0x20000, 1 },
	};
	struct dma_sg_table *t = new_table(test, DMA_SG_NO_MERGE);
	struct dma_sg_cursor cur;
	struct dma_sg_piece piece;
	unsigned int i, n = 0;
	u64 total = 0;

	KUNIT_EXPECT_NULL(test, dma_sg_first(t));
	KUNIT_EXPECT_FALSE(test, dma_sg_cursor_seek(&cur, t, 0));
	dma_sg_for_each_piece(t, piece, SZ_4K)
		n++;
	KUNIT_EXPECT_EQ(test, n, 0U);
	for (i = 0; i < ARRAY_SIZE(in); i++) {
		KUNIT_ASSERT_EQ(test, dma_sg_append(t, in[i].addr, in[i].len,
						    GFP_KERNEL), 0);
		total += in[i].len;
	}
	KUNIT_ASSERT_NOT_NULL(test, dma_sg_first(t));
	KUNIT_EXPECT_EQ(test, (u64)dma_sg_first(t)->addr, 0x1000ULL);

	KUNIT_ASSERT_TRUE(test, dma_sg_cursor_seek(&cur, t, 99));
	KUNIT_EXPECT_EQ(test, (u64)dma_sg_cursor_addr(&cur), 0x1000ULL + 99);
	KUNIT_EXPECT_EQ(test, dma_sg_cursor_left(&cur), 1ULL);
	KUNIT_ASSERT_TRUE(test, dma_sg_cursor_advance(&cur, 1));
	KUNIT_EXPECT_EQ(test, (u64)dma_sg_cursor_addr(&cur), 0x5000ULL);
	KUNIT_ASSERT_TRUE(test, dma_sg_cursor_seek(&cur, t, total - 1));
	KUNIT_EXPECT_EQ(test, (u64)dma_sg_cursor_addr(&cur), 0x20000ULL);
	KUNIT_EXPECT_FALSE(test, dma_sg_cursor_advance(&cur, 1));
	KUNIT_EXPECT_FALSE(test, dma_sg_cursor_seek(&cur, t, total));

	n = 0;
	dma_sg_for_each_piece(t, piece, SZ_4K) {
		if (n < ARRAY_SIZE(pieces)) {
			KUNIT_EXPECT_EQ(test, (u64)piece.addr, pieces[n].addr);
			KUNIT_EXPECT_EQ(test, piece.len, pieces[n].len);
		}
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, (unsigned int)ARRAY_SIZE(pieces));
	/* A zero limit walks nothing rather than forever. */
	n = 0;
	dma_sg_for_each_piece(t, piece, 0)
		n++;
	KUNIT_EXPECT_EQ(test, n, 0U);
	dma_sg_table_free(t);
}

#define MILLION BIT(20)

static void dma_sg_test_million(struct kunit *test)
{
	struct dma_sg_table *t = new_table(test, DMA_SG_NO_MERGE);
	struct dma_sg_block_iter biter;
	struct dma_sg_iter it;
	struct dma_sg *sg;
	u64 i, len = 0;

	/* The addresses wrap a 32-bit dma_addr_t: entries may repeat. */
	for (i = 0; i < MILLION; i++) {
		u64 l = SZ_4K + (i & 0xff);

		KUNIT_ASSERT_EQ(test, dma_sg_append(t, (dma_addr_t)(i * SZ_8K), l,
						    GFP_KERNEL), 0);
		len += l;
	}
	check_chain(test, t);
	KUNIT_EXPECT_EQ(test, dma_sg_table_nents(t), MILLION);
	KUNIT_EXPECT_EQ(test, dma_sg_table_len(t), len);
	KUNIT_EXPECT_EQ(test, counts(test)->live, chunks_for(MILLION, 0));
	i = 0;
	dma_sg_for_each(t, sg, it) {
		if (sg->addr != (dma_addr_t)(i * SZ_8K) ||
		    sg->len != SZ_4K + (i & 0xff)) {
			KUNIT_FAIL(test, "entry %llu is %llx+%llx", i,
				   (u64)sg->addr, sg->len);
			break;
		}
		i++;
	}
	KUNIT_EXPECT_EQ(test, i, MILLION);
	/* Each entry touches its own 4 KiB page and, but for the first, the next. */
	i = 0;
	dma_sg_for_each_block(t, biter, SZ_4K)
		i++;
	KUNIT_EXPECT_EQ(test, i, 2ULL * MILLION - MILLION / 256);
	dma_sg_table_free(t);

	/* A million entries from one split, and one from merged appends. */
	dma_sg_table_init(t, 0);
	if (!IS_ENABLED(CONFIG_ARCH_DMA_ADDR_T_64BIT))
		return;
	KUNIT_ASSERT_EQ(test, dma_sg_append_split(t, (dma_addr_t)SZ_4G,
						  (u64)MILLION * SZ_4K,
						  SZ_4K, ~0ULL, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, dma_sg_table_nents(t), MILLION);
	KUNIT_EXPECT_EQ(test, dma_sg_table_len(t), (u64)MILLION * SZ_4K);
	i = 0;
	dma_sg_for_each(t, sg, it) {
		if (sg->addr != SZ_4G + i * SZ_4K || sg->len != SZ_4K) {
			KUNIT_FAIL(test, "entry %llu is %llx+%llx", i,
				   (u64)sg->addr, sg->len);
			break;
		}
		i++;
	}
	KUNIT_EXPECT_EQ(test, i, MILLION);
	KUNIT_EXPECT_EQ(test, dma_sg_truncate(t, MILLION / 2 + 1), 0);
	check_chain(test, t);
	KUNIT_EXPECT_EQ(test, dma_sg_table_len(t), (u64)(MILLION / 2 + 1) * SZ_4K);
	dma_sg_table_free(t);

	for (i = 0; i < MILLION; i++)
		KUNIT_ASSERT_EQ(test, dma_sg_append(t, i * SZ_4K, SZ_4K,
						    GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, dma_sg_table_nents(t), 1);
	KUNIT_EXPECT_EQ(test, dma_sg_table_len(t), (u64)MILLION * SZ_4K);
	free_table(test, t);
}

static const u32 model_seeds[] = { 1, 42, 0xdeadbeef, 20261121 };

/* A table with a caller chunk of random size, or none. */
static struct dma_sg_table *random_table(struct kunit *test,
					 struct rnd_state *r,
					 unsigned int flags)
{
	struct dma_sg_table *t = new_table(test, flags);
	u32 n = prandom_u32_state(r) % 40;
	size_t bytes = struct_size_t(struct dma_sg_chunk, ents, n);
	struct dma_sg_chunk *chunk;

	if (!n)
		return t;
	chunk = kunit_kzalloc(test, bytes, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, chunk);
	caller_storage(test, chunk, bytes);
	__dma_sg_table_init_chunk(t, chunk, bytes, flags);
	KUNIT_ASSERT_EQ(test, t->first->max_ents, n);
	return t;
}

/* An address: often where the table ends, sometimes at the very top. */
static dma_addr_t random_addr(struct rnd_state *r, struct model *m)
{
	struct dma_sg *last = model_last(m);
	u32 kind = prandom_u32_state(r) % 100;

	if (last && kind < 50)
		return last->addr + last->len;
	if (kind < 53)
		return ADDR_MAX - rnd_in(r, 0, SZ_64K);
	return rnd_in(r, 0, U32_MAX) * 16;
}

static void random_truncate(struct kunit *test, struct rnd_state *r,
			    struct dma_sg_table *t, struct model *m)
{
	u64 n = rnd_in(r, 0, m->nents + 1);

	KUNIT_ASSERT_EQ(test, dma_sg_truncate(t, n),
			n > m->nents ? -EINVAL : 0);
	if (n <= m->nents)
		model_truncate(m, n);
}

/* dma_sg_append() against the model, merging and not. */
static void dma_sg_test_model_append(struct kunit *test)
{
	unsigned int i, op, flags;

	if (!IS_ENABLED(CONFIG_ARCH_DMA_ADDR_T_64BIT))
		kunit_skip(test, "needs a 64-bit dma_addr_t");
	for (i = 0; i < ARRAY_SIZE(model_seeds); i++) {
		for (flags = 0; flags <= DMA_SG_NO_MERGE; flags += DMA_SG_NO_MERGE) {
			struct dma_sg_table *t;
			struct rnd_state r;
			struct model m;

			prandom_seed_state(&r, model_seeds[i]);
			t = random_table(test, &r, flags);
			model_init(test, &m, 4000);
			for (op = 0; op < 4000; op++) {
				u32 kind = prandom_u32_state(&r) % 100;
				dma_addr_t addr = random_addr(&r, &m);
				u64 len = rnd_in(&r, 1, SZ_64K);
				int want;

				if (kind < 3) {
					random_truncate(test, &r, t, &m);
					continue;
				}
				if (kind < 6)
					len = 0;
				want = model_append(&m, addr, len,
						    !(flags & DMA_SG_NO_MERGE));
				KUNIT_ASSERT_EQ_MSG(test,
						    dma_sg_append(t, addr, len,
								  GFP_KERNEL),
						    want, "seed %u op %u",
						    model_seeds[i], op);
				if (op % 512 == 0)
					expect_model(test, t, &m);
			}
			expect_model(test, t, &m);
			free_table(test, t);
			model_release(test, &m);
		}
	}
}

static u64 random_max_seg(struct rnd_state *r)
{
	static const u64 fixed[] = { 1, 7, SZ_4K, SZ_64K, SZ_4G, U64_MAX };
	u32 k = prandom_u32_state(r) % (ARRAY_SIZE(fixed) + 2);

	return k < ARRAY_SIZE(fixed) ? fixed[k] : rnd_in(r, 1, SZ_1M);
}

static u64 random_mask(struct rnd_state *r)
{
	u32 k = prandom_u32_state(r) % 16;

	if (k == 0)
		return ~0ULL;
	if (k == 1)
		return 0xfff;
	return (1ULL << rnd_in(r, 1, 40)) - 1;
}

/* A length that the limits cut into a few dozen pieces at most. */
static u64 random_len(struct rnd_state *r, u64 max, u64 mask)
{
	u64 unit = min(max, mask);

	if (unit >= SZ_4G && !(prandom_u32_state(r) % 8))
		return rnd_in(r, 1, SZ_64K) * SZ_1M;
	return rnd_in(r, 1, min_t(u64, unit, SZ_1M) * 16);
}

/* dma_sg_append_split() against the model, mixed with appends. */
static void dma_sg_test_model_split(struct kunit *test)
{
	unsigned int i, op, flags;

	if (!IS_ENABLED(CONFIG_ARCH_DMA_ADDR_T_64BIT))
		kunit_skip(test, "needs a 64-bit dma_addr_t");
	for (i = 0; i < ARRAY_SIZE(model_seeds); i++) {
		for (flags = 0; flags <= DMA_SG_NO_MERGE; flags += DMA_SG_NO_MERGE) {
			bool merge = !(flags & DMA_SG_NO_MERGE);
			struct dma_sg_table *t;
			struct rnd_state r;
			struct model m;

			prandom_seed_state(&r, model_seeds[i] + 1);
			t = random_table(test, &r, flags);
			model_init(test, &m, 600 * 40);
			for (op = 0; op < 600; op++) {
				u32 kind = prandom_u32_state(&r) % 100;
				dma_addr_t addr = random_addr(&r, &m);
				u64 max = random_max_seg(&r);
				u64 mask = random_mask(&r);
				u64 len = random_len(&r, max, mask);
				int want, got;

				if (kind < 3) {
					random_truncate(test, &r, t, &m);
					continue;
				}
				if (kind < 10) {
					want = model_append(&m, addr, len,
							    merge);
					got = dma_sg_append(t, addr, len,
							    GFP_KERNEL);
				} else {
					if (kind < 12)
						len = 0;
					if (kind == 12)
						mask = 0x1000;
					if (kind == 13)
						max = 0;
					want = model_split(&m, addr, len,
							   max, mask, merge);
					got = dma_sg_append_split(t, addr, len,
								  max, mask,
								  GFP_KERNEL);
				}
				KUNIT_ASSERT_EQ_MSG(test, got, want,
						    "seed %u op %u", model_seeds[i],
						    op);
				if (op % 64 == 0)
					expect_model(test, t, &m);
			}
			expect_model(test, t, &m);
			free_table(test, t);
			model_release(test, &m);
		}
	}
}

/*
 * Appending a range in contiguous pieces builds the same table as
 * appending it whole: the merge fills the last entry exactly as far as a
 * single call would have.
 */
static void dma_sg_test_split_pieces(struct kunit *test)
{
	unsigned int i, iter;

	if (!IS_ENABLED(CONFIG_ARCH_DMA_ADDR_T_64BIT))
		kunit_skip(test, "needs a 64-bit dma_addr_t");
	counts(test)->many_tables = true;
	for (i = 0; i < ARRAY_SIZE(model_seeds); i++) {
		struct rnd_state r;

		prandom_seed_state(&r, model_seeds[i] + 2);
		for (iter = 0; iter < 50; iter++) {
			struct dma_sg_table *whole = new_table(test, 0);
			struct dma_sg_table *parts = new_table(test, 0);
			u64 max = random_max_seg(&r);
			u64 mask = random_mask(&r);
			u64 len = random_len(&r, max, mask);
			dma_addr_t addr = rnd_in(&r, 0, U32_MAX) * 8;
			u64 done = 0;
			struct model m;

			KUNIT_ASSERT_EQ(test, dma_sg_append_split(whole, addr,
								  len, max,
								  mask,
								  GFP_KERNEL), 0);
			while (done < len) {
				u64 piece = rnd_in(&r, 1, min(len - done,
							      (u64)U32_MAX));

				KUNIT_ASSERT_EQ(test,
						dma_sg_append_split(parts,
								    addr + done,
								    piece, max,
								    mask,
								    GFP_KERNEL),
						0);
				done += piece;
			}
			snap_take(test, &m, whole);
			expect_model(test, parts, &m);
			model_release(test, &m);
			free_table(test, whole);
			free_table(test, parts);
		}
	}
	KUNIT_EXPECT_EQ(test, counts(test)->live, 0);
}

/* One call that must allocate, run with each of its allocations failing. */
struct fail_case {
	const char *name;
	u32 caller_ents;
	unsigned int flags;
	u32 base;		/* gapped 2 KiB entries in the table first, */
	u32 base_chunks;	/* plus enough to fill this many chunks */
	bool split;
	bool contiguous;	/* start where the table ends */
	u64 len;
	u64 max;
	u64 mask;
};

static const struct fail_case fail_cases[] = {
	{ "append to full first chunk", 0, 0, 0, 1, false, false, SZ_4K },
	{ "append to full page chunk", 0, 0, 0, 9, false, false, SZ_4K },
	{ "append to an inline entry", 0, 0, 1, 0, false, false, SZ_4K },
	{ "append past caller chunk", 1, 0, 1, 0, false, false, SZ_4K },
	{ "split, merge then 3 chunks", 0, 0, ENTS - 2, 0, true, true,
	  SZ_2K + 3 * ENTS * SZ_4K, SZ_4K, 0xfff },
	{ "split into empty table", 0, 0, 0, 0, true, false,
	  2 * ENTS * SZ_4K, SZ_4K, ~0ULL },
	{ "split past caller chunk of 1", 1, 0, 1, 0, true, true,
	  SZ_2K + 2 * ENTS * SZ_4K, SZ_4K, 0xfff },
	{ "split past full caller chunk", 4, 0, 4, 0, true, false,
	  (ENTS + 1) * SZ_4K, SZ_4K, ~0ULL },
	{ "split without merging", 0, DMA_SG_NO_MERGE, ENTS - 1, 0, true, true,
	  (ENTS + 5) * SZ_4K, SZ_4K, ~0ULL },
};

static u32 fail_case_base(const struct fail_case *fc)
{
	return fc->base + chunk_end(0, fc->base_chunks);
}

static void fail_case_build(struct kunit *test, const struct fail_case *fc,
			    struct dma_sg_table *t, void *storage, size_t bytes,
			    struct model *m)
{
	u32 i;

	if (fc->caller_ents)
		__dma_sg_table_init_chunk(t, storage, bytes, fc->flags);
	else
		dma_sg_table_init(t, fc->flags);
	model_truncate(m, 0);
	for (i = 0; i < fail_case_base(fc); i++) {
		KUNIT_ASSERT_EQ(test, dma_sg_append(t, i * SZ_8K, SZ_2K,
						    GFP_KERNEL), 0);
		model_new(test, m, i * SZ_8K, SZ_2K);
	}
}

/* Where the call appends: @m holds the base entries. */
static dma_addr_t fail_case_addr(const struct fail_case *fc, struct model *m)
{
	struct dma_sg *last = model_last(m);

	return fc->contiguous ? last->addr + last->len : SZ_1G;
}

static int fail_case_model(struct kunit *test, const struct fail_case *fc,
			   struct model *m)
{
	bool merge = !(fc->flags & DMA_SG_NO_MERGE);
	dma_addr_t addr = fail_case_addr(fc, m);

	if (fc->split)
		return model_split(m, addr, fc->len, fc->max, fc->mask, merge);
	return model_append(m, addr, fc->len, merge);
}

static int fail_case_call(const struct fail_case *fc, struct dma_sg_table *t,
			  dma_addr_t addr)
{
	if (fc->split)
		return dma_sg_append_split(t, addr, fc->len, fc->max, fc->mask,
					   NOWAIT);
	return dma_sg_append(t, addr, fc->len, NOWAIT);
}

static void fail_case_run(struct kunit *test, const struct fail_case *fc,
			  struct kunit_fail_nth *fail)
{
	size_t bytes = struct_size_t(struct dma_sg_chunk, ents, fc->caller_ents);
	void *storage = kunit_kzalloc(test, bytes, GFP_KERNEL);
	struct dma_sg_table *t = new_table(test, 0);
	unsigned int n, left, failures = 0;
	u64 base_chunks, want_chunks;
	struct model m, want, s;
	dma_addr_t addr;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, storage);
	caller_storage(test, storage, bytes);
	model_init(test, &m, fail_case_base(fc) + 3 * ENTS + 8);
	model_init(test, &want, m.cap);
	fail_case_build(test, fc, t, storage, bytes, &want);
	KUNIT_ASSERT_EQ(test, fail_case_model(test, fc, &want), 0);
	base_chunks = chunks_for(fail_case_base(fc), fc->caller_ents);
	want_chunks = chunks_for(want.nents, fc->caller_ents) - base_chunks;
	KUNIT_ASSERT_GT(test, want_chunks, 0);
	dma_sg_table_free(t);

	for (n = 1; ; n++) {
		KUNIT_ASSERT_LT_MSG(test, n, 100 * want_chunks, "%s", fc->name);
		fail_case_build(test, fc, t, storage, bytes, &m);
		snap_take(test, &s, t);

		addr = fail_case_addr(fc, &m);
		kunit_fail_nth_arm(fail, n);
		ret = fail_case_call(fc, t, addr);
		left = kunit_fail_nth_disarm(fail);

		if (ret) {
			KUNIT_ASSERT_EQ_MSG(test, ret, -ENOMEM, "%s, n=%u",
					    fc->name, n);
			/* Only the n-th fault point can have failed. */
			KUNIT_ASSERT_EQ(test, left, 0);
			failures++;
			expect_unchanged(test, t, &s);
			KUNIT_EXPECT_EQ(test, counts(test)->live, base_chunks);
		} else {
			/* A fault elsewhere (kmemleak's own objects) or none. */
			expect_model(test, t, &want);
		}
		model_release(test, &s);
		dma_sg_table_free(t);
		KUNIT_ASSERT_EQ(test, counts(test)->live, 0);
		/* Fewer than n fault points: each one has failed once. */
		if (!ret && left)
			break;
	}
	KUNIT_EXPECT_EQ_MSG(test, failures, want_chunks, "%s", fc->name);
	kunit_info(test, "%s: %u allocation points failed in turn\n",
		   fc->name, failures);
	free_table(test, t);
	model_release(test, &m);
	model_release(test, &want);
}

static void dma_sg_test_alloc_failure(struct kunit *test)
{
	struct kunit_fail_nth fail;
	unsigned int i;

	if (kunit_fail_nth_init(&fail, 0))
		kunit_skip(test, "needs CONFIG_FAILSLAB for current->fail_nth");
	for (i = 0; i < ARRAY_SIZE(fail_cases); i++)
		fail_case_run(test, &fail_cases[i], &fail);
}

/* dma_sg_phys_set()'s rules, written out. */
static bool phys_valid(phys_addr_t paddr, u64 len, u32 hint, u32 bar)
{
	bool p2p = hint == DMA_SG_MAP_BUS_ADDR ||
		   hint == DMA_SG_MAP_HOST_BRIDGE;

	return len && len < BIT_ULL(50) && len - 1 <= (u64)(PHYS_MAX - paddr) &&
	       hint <= DMA_SG_MAP_MMIO && bar < 4096 && p2p == !!bar;
}

/* Either every field reads back as given, or -EINVAL and @p untouched. */
static void expect_phys(struct kunit *test, phys_addr_t paddr, u64 len,
			u32 hint, u32 bar)
{
	bool valid = phys_valid(paddr, len, hint, bar);
	struct dma_sg_phys p, before;

	memset(&p, 0xa5, sizeof(p));
	before = p;
	KUNIT_ASSERT_EQ_MSG(test, dma_sg_phys_set(&p, paddr, len,
						  (enum dma_sg_map_hint)hint,
						  bar),
			    valid ? 0 : -EINVAL, "%llx+%llx, hint %u, bar %u",
			    (u64)paddr, len, hint, bar);
	if (!valid) {
		KUNIT_EXPECT_MEMEQ(test, &p, &before, sizeof(p));
		return;
	}
	KUNIT_EXPECT_EQ(test, (u64)p.paddr, (u64)paddr);
	KUNIT_EXPECT_EQ(test, dma_sg_phys_len(&p), len);
	KUNIT_EXPECT_EQ(test, dma_sg_phys_hint(&p), hint);
	KUNIT_EXPECT_EQ(test, dma_sg_phys_bar(&p), bar);
	/* The exact layout: nothing bleeds between fields. */
	KUNIT_EXPECT_EQ(test, p.len_flags,
			len | (u64)bar << 50 | (u64)hint << 62);
}

/* The dma_sg_phys encoding: round trips at the field limits. */
static void dma_sg_test_phys(struct kunit *test)
{
	static const u64 lens[] = {
		0, 1, SZ_4K, DMA_SG_PHYS_LEN_MAX, DMA_SG_PHYS_LEN_MAX + 1,
		1ULL << 63, U64_MAX,
	};
	static const u32 bars[] = { 0, 1, 4095, 4096, U32_MAX };
	const phys_addr_t addrs[] = {
		0, SZ_4K, PHYS_MAX / 2 + 1, PHYS_MAX - SZ_4K, PHYS_MAX,
	};
	/* Not static: DMA_SG_BAR_ID_MAX is not a constant expression. */
	const struct {
		u64 paddr;
		u64 len;
		enum dma_sg_map_hint hint;
		u32 bar;
	} good[] = {
		{ 0, 1, DMA_SG_MAP_MEM, 0 },
		{ SZ_4K, DMA_SG_PHYS_LEN_MAX, DMA_SG_MAP_MEM, 0 },
		{ ~0ULL, 1, DMA_SG_MAP_BUS_ADDR, 1 },
		{ SZ_1T, 3 * SZ_4G, DMA_SG_MAP_HOST_BRIDGE, DMA_SG_BAR_ID_MAX },
		{ SZ_1T, SZ_4K, DMA_SG_MAP_MMIO, 0 },
		{ ~0ULL - DMA_SG_PHYS_LEN_MAX + 1, DMA_SG_PHYS_LEN_MAX,
		  DMA_SG_MAP_BUS_ADDR, 512 },
	}, bad[] = {
		{ 0, 0, DMA_SG_MAP_MEM, 0 },
		{ 0, DMA_SG_PHYS_LEN_MAX + 1, DMA_SG_MAP_MEM, 0 },
		{ 0, U64_MAX, DMA_SG_MAP_MEM, 0 },
		{ ~0ULL, 2, DMA_SG_MAP_MEM, 0 },
		{ ~0ULL - SZ_4K + 1, SZ_4K + 1, DMA_SG_MAP_BUS_ADDR, 3 },
		{ 0, 1, DMA_SG_MAP_MMIO, 1 },
		{ 0, 1, (enum dma_sg_map_hint)4, 1 },
		{ 0, 1, (enum dma_sg_map_hint)-1, 1 },
		{ 0, 1, DMA_SG_MAP_BUS_ADDR, DMA_SG_BAR_ID_MAX + 1 },
		{ 0, 1, DMA_SG_MAP_HOST_BRIDGE, U32_MAX },
		{ 0, 1, DMA_SG_MAP_MEM, 1 },
		{ 0, 1, DMA_SG_MAP_BUS_ADDR, 0 },
		{ 0, 1, DMA_SG_MAP_HOST_BRIDGE, 0 },
	};
	unsigned int i, a, l, b, hint;

	KUNIT_EXPECT_EQ(test, DMA_SG_PHYS_LEN_MAX, (1ULL << 50) - 1);
	KUNIT_EXPECT_EQ(test, DMA_SG_BAR_ID_MAX, 4095);
	for (hint = 0; hint < 5; hint++)
		for (a = 0; a < ARRAY_SIZE(addrs); a++)
			for (l = 0; l < ARRAY_SIZE(lens); l++)
				for (b = 0; b < ARRAY_SIZE(bars); b++)
					expect_phys(test, addrs[a], lens[l],
						    hint, bars[b]);

	if (sizeof(phys_addr_t) < sizeof(u64))
		kunit_skip(test, "needs a 64-bit phys_addr_t");
	/* The rules themselves, against cases worked out by hand. */
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		KUNIT_EXPECT_TRUE(test, phys_valid(good[i].paddr, good[i].len,
						   good[i].hint, good[i].bar));
		expect_phys(test, good[i].paddr, good[i].len, good[i].hint,
			    good[i].bar);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_FALSE(test, phys_valid(bad[i].paddr, bad[i].len,
						    bad[i].hint, bad[i].bar));
		expect_phys(test, bad[i].paddr, bad[i].len, bad[i].hint,
			    bad[i].bar);
	}
}

static int dma_sg_suite_init(struct kunit *test)
{
	struct chunk_count *cc = kunit_kzalloc(test, sizeof(*cc), GFP_KERNEL);

	if (!cc)
		return -ENOMEM;
	test->priv = cc;
	kunit_activate_static_stub(test, dma_sg_chunk_alloc, counted_alloc);
	kunit_activate_static_stub(test, dma_sg_chunk_free, counted_free);
	return 0;
}

static struct kunit_case dma_sg_test_cases[] = {
	KUNIT_CASE(dma_sg_test_layout),
	KUNIT_CASE(dma_sg_test_chunk_growth),
	KUNIT_CASE(dma_sg_test_inline),
	KUNIT_CASE(dma_sg_test_size_hint),
	KUNIT_CASE(dma_sg_test_init),
	KUNIT_CASE(dma_sg_test_caller_chunk_stack),
	KUNIT_CASE(dma_sg_test_caller_chunk_embedded),
	KUNIT_CASE(dma_sg_test_append_merge),
	KUNIT_CASE(dma_sg_test_append_top),
	KUNIT_CASE(dma_sg_test_append_limits),
	KUNIT_CASE(dma_sg_test_split_rules),
	KUNIT_CASE(dma_sg_test_split_after_append),
	KUNIT_CASE(dma_sg_test_split_bad_limits),
	KUNIT_CASE(dma_sg_test_walk),
	KUNIT_CASE(dma_sg_test_blocks),
	KUNIT_CASE(dma_sg_test_truncate),
	KUNIT_CASE(dma_sg_test_free_reuse),
	KUNIT_CASE(dma_sg_test_chunk_boundaries),
	KUNIT_CASE(dma_sg_test_caller_chunk_one),
	KUNIT_CASE(dma_sg_test_append_limited),
	KUNIT_CASE(dma_sg_test_writer),
	KUNIT_CASE(dma_sg_test_cursor),
	KUNIT_CASE_SLOW(dma_sg_test_million),
	KUNIT_CASE(dma_sg_test_model_append),
	KUNIT_CASE(dma_sg_test_model_split),
	KUNIT_CASE(dma_sg_test_split_pieces),
	KUNIT_CASE(dma_sg_test_alloc_failure),
	KUNIT_CASE(dma_sg_test_phys),
	{}
};

static struct kunit_suite dma_sg_test_suite = {
	.name = "dma_sg_table",
	.init = dma_sg_suite_init,
	.test_cases = dma_sg_test_cases,
};

kunit_test_suite(dma_sg_test_suite);

MODULE_DESCRIPTION("KUnit tests for dma_sg tables");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
