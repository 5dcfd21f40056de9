// SPDX-License-Identifier: GPL-2.0
/*
 * Reference model of a dma_sg table and the checks that compare a real
 * table with it.  The model is written for obviousness, not speed: it
 * works on 128-bit integers and one flat array.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model.h"

unsigned long shim_fail_nth;
unsigned long shim_failed;
unsigned long shim_allocs;
long shim_live;

/* Larger tables are not built: checks stay cheap and runs stay fast. */
size_t model_max_ents = 1024;
unsigned long model_checks;
/* Named in failure reports. */
const char *test_name = "ops";

/* Blocks walked per check at most; larger block sizes are used instead. */
#define BLOCK_CAP	512

void fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "dma_sg test FAILED in %s: ", test_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	abort();
}

void model_init(struct model *m, bool merge)
{
	memset(m, 0, sizeof(*m));
	m->merge = merge;
}

void model_free(struct model *m)
{
	free(m->ents);
	model_init(m, m->merge);
}

static void model_push(struct model *m, u64 addr, u64 len)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 16;
		m->ents = realloc(m->ents, m->cap * sizeof(*m->ents));
		if (!m->ents)
			fail("out of memory\n");
	}
	m->ents[m->n].addr = addr;
	m->ents[m->n].len = len;
	m->n++;
}

void model_copy(struct model *dst, const struct model *src)
{
	model_init(dst, src->merge);
	for (size_t i = 0; i < src->n; i++)
		model_push(dst, src->ents[i].addr, src->ents[i].len);
	dst->len = src->len;
}

static int model_range_check(const struct model *m, __uint128_t addr, __uint128_t len)
{
	if (!len)
		return -EINVAL;
	if (addr + len > DMA_TOP || m->len + len > U64_MAX)
		return -EOVERFLOW;
	return 0;
}

static bool model_contiguous(const struct model *m, __uint128_t addr)
{
	const struct model_ent *last = m->n ? &m->ents[m->n - 1] : NULL;

	return m->merge && last && (__uint128_t)last->addr + last->len == addr;
}

int model_append(struct model *m, dma_addr_t addr, u64 len)
{
	int ret = model_range_check(m, addr, len);

	if (ret)
		return ret;
	if (model_contiguous(m, addr)) {
		m->ents[m->n - 1].len += len;
	} else {
		if (m->n >= model_max_ents)
			return MODEL_SKIP;
		model_push(m, addr, len);
	}
	m->len += len;
	return 0;
}

/*
 * Pieces are cut greedily from the front, each as long as the length
 * left, max_seg and the next boundary allow.  A piece that continues the
 * last entry, in the same boundary window, tops that entry up to max_seg
 * instead of starting a new one.
 */
int model_append_split(struct model *m, dma_addr_t addr, u64 len,
		       u64 max_seg, u64 mask)
{
	__uint128_t p = addr, end = (__uint128_t)addr + len;
	struct model out;
	int ret;

	if (!max_seg || !mask || ((__uint128_t)mask + 1) & mask)
		return -EINVAL;
	ret = model_range_check(m, addr, len);
	if (ret)
		return ret;

	model_copy(&out, m);
	while (p < end) {
		struct model_ent *last = out.n ? &out.ents[out.n - 1] : NULL;
		__uint128_t piece = end - p, to_boundary = (p | mask) - p + 1;
		bool top_up = last && model_contiguous(&out, p) &&
			      last->len < max_seg &&
			      (last->addr | mask) == (p | mask);
		__uint128_t room = top_up ? max_seg - last->len : max_seg;

		if (piece > room)
			piece = room;
		if (piece > to_boundary)
			piece = to_boundary;
		if (!top_up && out.n >= model_max_ents) {
			model_free(&out);
			return MODEL_SKIP;
		}
		if (top_up)
			last->len += piece;
		else
			model_push(&out, p, piece);
		p += piece;
	}
	out.len += len;
	model_free(m);
	*m = out;
	return 0;
}

int model_truncate(struct model *m, u64 n)
{
	if (n > m->n)
		return -EINVAL;
	while (m->n > n)
		m->len -= m->ents[--m->n].len;
	return 0;
}

/*
 * Capacity of the chunk a table allocates after one of @prev bytes (0:
 * none): the smallest power of two from 32 bytes that is at least twice
 * @prev, and no more than a page.  @prev becomes its size.
 */
static u64 next_chunk_ents(size_t *prev)
{
	size_t bytes = 32;

	while (bytes < PAGE_SIZE && bytes < 2 * *prev)
		bytes *= 2;
	*prev = bytes;
	return (bytes - sizeof(struct dma_sg_chunk)) / sizeof(struct dma_sg);
}

static size_t caller_bytes(const struct table_info *ti)
{
	return ti->caller ? sizeof(struct dma_sg_chunk) +
			    (size_t)ti->caller_ents * sizeof(struct dma_sg) : 0;
}

/* Entries the first @chunks chunks of a table hold, the caller's included. */
u64 table_chunk_end(const struct table_info *ti, u64 chunks)
{
	u64 held = ti->caller && chunks ? ti->caller_ents : 0;
	size_t prev = caller_bytes(ti);

	for (u64 k = !!ti->caller; k < chunks; k++)
		held += next_chunk_ents(&prev);
	return held;
}

/* Chunks a table with @nents entries holds: they are always kept full. */
u64 table_chunks(const struct table_info *ti, u64 nents)
{
	u64 held = ti->caller ? ti->caller_ents : 0, chunks = !!ti->caller;
	size_t prev = caller_bytes(ti);

	while (held < nents) {
		held += next_chunk_ents(&prev);
		chunks++;
	}
	return chunks;
}

static __uint128_t blocks_of(const struct model_ent *e, unsigned int shift)
{
	__uint128_t first = e->addr >> shift;
	__uint128_t last = ((__uint128_t)e->addr + e->len - 1) >> shift;

	return last - first + 1;
}

static void check_blocks(const char *what, const struct dma_sg_table *t,
			 const struct model *m, unsigned int shift)
{
	struct dma_sg_block_iter biter;
	__uint128_t total;
	size_t i = 0;
	__uint128_t blk = 0, blk_last = 0;
	u64 seen = 0;

	/* Pick the smallest block size from @shift up that is cheap to walk. */
	for (;; shift++) {
		total = 0;
		for (size_t k = 0; k < m->n; k++)
			total += blocks_of(&m->ents[k], shift);
		if (total <= BLOCK_CAP || shift == 63)
			break;
	}

	dma_sg_for_each_block(t, biter, 1ULL << shift) {
		dma_addr_t got = dma_sg_block_iter_dma_address(&biter);

		if (!seen || blk == blk_last) {
			if (seen)
				i++;
			if (i >= m->n)
				fail("%s: block walk at 2^%u goes past %zu entries\n",
				     what, shift, m->n);
			blk = ((__uint128_t)m->ents[i].addr >> shift) << shift;
			blk_last = (((__uint128_t)m->ents[i].addr +
				     m->ents[i].len - 1) >> shift) << shift;
		} else {
			blk += (__uint128_t)1 << shift;
		}
		if ((__uint128_t)got != blk)
			fail("%s: block %llu at 2^%u: got %#llx, expected %#llx (entry %zu)\n",
			     what, (unsigned long long)seen, shift,
			     (unsigned long long)got, (unsigned long long)blk,
			     i);
		if (++seen > total)
			fail("%s: block walk at 2^%u longer than %llu\n", what,
			     shift, (unsigned long long)total);
	}
	if (seen != total || (m->n && (i != m->n - 1 || blk != blk_last)))
		fail("%s: block walk at 2^%u: %llu blocks, expected %llu\n",
		     what, shift, (unsigned long long)seen,
		     (unsigned long long)total);
}

/*
 * Compare @t with @m: counters, the chunk chain entry by entry (chunks
 * full, none empty, tail last, exactly as many as the entries need),
 * dma_sg_for_each() and dma_sg_for_each_block() at 2^@blk_shift or more.
 */
void check_table(const char *what, const struct dma_sg_table *t,
		 const struct table_info *ti, const struct model *m,
		 unsigned int blk_shift)
{
	const struct dma_sg_chunk *c, *last_chunk = NULL;
	struct dma_sg_iter iter;
	struct dma_sg *sg;
	u64 chunks = 0, n = 0, sum = 0;

	model_checks++;
	EXPECT_EQ(dma_sg_table_nents(t), m->n, what);
	EXPECT_EQ(dma_sg_table_len(t), m->len, what);
	EXPECT_EQ(t->nents, m->n, what);
	EXPECT_EQ(!!(t->flags & DMA_SG_NO_MERGE), !m->merge, what);
	EXPECT_EQ(!!(t->flags & DMA_SG_CALLER_CHUNK), !!ti->caller, what);
	if (ti->caller) {
		EXPECT_EQ(t->first, ti->caller, what);
		EXPECT_EQ(ti->caller->max_ents, ti->caller_ents, what);
	} else if (!m->n) {
		EXPECT_EQ(t->first, NULL, what);
	}

	size_t prev = 0;

	for (c = t->first; c; c = c->next) {
		bool callers = ti->caller && c == ti->caller;

		chunks++;
		if (callers)
			prev = caller_bytes(ti);
		EXPECT_EQ(c->max_ents, callers ? ti->caller_ents :
			  next_chunk_ents(&prev), what);
		if (c->nents > c->max_ents || (!c->nents && m->n))
			fail("%s: chunk %llu holds %u of %u entries\n", what,
			     (unsigned long long)chunks, c->nents, c->max_ents);
		if (c->next && c->nents != c->max_ents)
			fail("%s: chunk %llu not full but not last\n", what,
			     (unsigned long long)chunks);
		for (u32 i = 0; i < c->nents; i++, n++) {
			const struct dma_sg *e = &c->ents[i];

			if (n >= m->n)
				fail("%s: more than %zu entries in the chain\n",
				     what, m->n);
			if (!dma_sg_range_ok(e->addr, e->len))
				fail("%s: entry %llu [%#llx + %#llx] is empty or wraps\n",
				     what, (unsigned long long)n,
				     (unsigned long long)e->addr,
				     (unsigned long long)e->len);
			if (e->addr != m->ents[n].addr ||
			    e->len != m->ents[n].len)
				fail("%s: entry %llu [%#llx + %#llx], expected [%#llx + %#llx]\n",
				     what, (unsigned long long)n,
				     (unsigned long long)e->addr,
				     (unsigned long long)e->len,
				     (unsigned long long)m->ents[n].addr,
				     (unsigned long long)m->ents[n].len);
			sum += e->len;
		}
		last_chunk = c;
	}
	EXPECT_EQ(n, m->n, what);
	EXPECT_EQ(sum, m->len, what);
	EXPECT_EQ(t->tail, last_chunk, what);
	EXPECT_EQ(chunks, table_chunks(ti, m->n), what);

	n = 0;
	dma_sg_for_each(t, sg, iter) {
		if (n >= m->n)
			fail("%s: dma_sg_for_each() past %zu entries\n", what,
			     m->n);
		EXPECT_EQ(sg->addr, m->ents[n].addr, what);
		EXPECT_EQ(sg->len, m->ents[n].len, what);
		n++;
	}
	EXPECT_EQ(n, m->n, what);

	check_blocks(what, t, m, blk_shift);
}

/*
 * dma_sg_phys_set() against the rules written out in full: either every
 * field reads back as given, or -EINVAL and @p untouched.
 */
void check_phys(phys_addr_t paddr, u64 len, unsigned int hint, u32 bar)
{
	struct dma_sg_phys p;
	bool valid = len && len < (1ULL << 50) &&
		     (__uint128_t)paddr + len <= PHYS_TOP && hint <= 3 &&
		     bar < 4096 && (hint == 1 || hint == 2) == (bar != 0);
	int ret;

	memset(&p, 0xa5, sizeof(p));
	ret = dma_sg_phys_set(&p, paddr, len, (enum dma_sg_map_hint)hint, bar);
	if (!valid) {
		unsigned char *b = (unsigned char *)&p;

		if (ret != -EINVAL)
			fail("phys_set(%#llx, %#llx, %u, %u) = %d, expected -EINVAL\n",
			     (unsigned long long)paddr,
			     (unsigned long long)len, hint, bar, ret);
		for (size_t i = 0; i < sizeof(p); i++)
			CHECK(b[i] == 0xa5);
		return;
	}
	if (ret)
		fail("phys_set(%#llx, %#llx, %u, %u) = %d, expected 0\n",
		     (unsigned long long)paddr, (unsigned long long)len, hint,
		     bar, ret);
	EXPECT_EQ(p.paddr, paddr, "phys paddr");
	EXPECT_EQ(dma_sg_phys_len(&p), len, "phys len");
	EXPECT_EQ(dma_sg_phys_hint(&p), hint, "phys hint");
	EXPECT_EQ(dma_sg_phys_bar(&p), bar, "phys bar");
	EXPECT_EQ(p.len_flags, len | (u64)bar << 50 | (u64)hint << 62,
		  "phys encoding");
}
