// SPDX-License-Identifier: GPL-2.0
/*
 * dma_sg: chained tables of page-less DMA ranges
 *
 * Every operation either completes or leaves the table exactly as it was:
 * appends that need several chunks roll back to a saved position when an
 * allocation fails, so callers never see a half-appended range.
 */
#include <kunit/static_stub.h>
#include <kunit/visibility.h>
#include <linux/dma_sg.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/kmemleak.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/slab.h>

#include "dma_sg_internal.h"

/*
 * Chunks are allocated and freed only here, so that the KUnit suite can
 * count them through static stubs and catch a leak or a freed caller chunk.
 *
 * Chunk sizes are powers of two up to a page, so only a page-sized chunk
 * is larger than half a page.  It comes from the page allocator, as a full
 * scatterlist chunk does: as kmalloc-4k objects, the chunks of a large
 * table that is freed and built again made slab discard and rebuild whole
 * slabs each time.  kmemleak is told, so that it still scans the chain.
 */
static bool dma_sg_chunk_is_page(size_t bytes)
{
	return bytes > PAGE_SIZE / 2;
}

VISIBLE_IF_KUNIT struct dma_sg_chunk *dma_sg_chunk_alloc(size_t bytes,
							 gfp_t gfp)
{
	struct dma_sg_chunk *chunk;

	KUNIT_STATIC_STUB_REDIRECT(dma_sg_chunk_alloc, bytes, gfp);
	if (!dma_sg_chunk_is_page(bytes))
		return kmalloc(bytes, gfp);
	chunk = (struct dma_sg_chunk *)__get_free_page(gfp);
	if (chunk)
		kmemleak_alloc(chunk, PAGE_SIZE, 1, gfp);
	return chunk;
}
EXPORT_SYMBOL_IF_KUNIT(dma_sg_chunk_alloc);

VISIBLE_IF_KUNIT void dma_sg_chunk_free(struct dma_sg_chunk *chunk)
{
	KUNIT_STATIC_STUB_REDIRECT(dma_sg_chunk_free, chunk);
	if (!dma_sg_chunk_is_page(struct_size(chunk, ents, chunk->max_ents))) {
		kfree(chunk);
		return;
	}
	kmemleak_free(chunk);
	free_page((unsigned long)chunk);
}
EXPORT_SYMBOL_IF_KUNIT(dma_sg_chunk_free);

/**
 * dma_sg_table_init - initialise an empty table
 * @table: the table.
 * @flags: DMA_SG_NO_MERGE or 0.
 *
 * The table allocates its chunks on first append.
 */
void dma_sg_table_init(struct dma_sg_table *table, unsigned int flags)
{
	*table = (struct dma_sg_table) {
		.flags = flags & DMA_SG_NO_MERGE,
	};
}
EXPORT_SYMBOL_GPL(dma_sg_table_init);

/**
 * __dma_sg_table_init_chunk - initialise a table on caller-supplied storage
 * @table: the table.
 * @chunk: storage for the first chunk.
 * @bytes: size of @chunk, header included.
 * @flags: DMA_SG_NO_MERGE or 0.
 *
 * Use dma_sg_table_init_chunk(), which computes @bytes.  Storage too small
 * to hold one entry is ignored and the table allocates as usual.
 */
void __dma_sg_table_init_chunk(struct dma_sg_table *table,
			       struct dma_sg_chunk *chunk, size_t bytes,
			       unsigned int flags)
{
	size_t n;

	dma_sg_table_init(table, flags);
	if (bytes < struct_size(chunk, ents, 1))
		return;
	n = (bytes - sizeof(*chunk)) / sizeof(chunk->ents[0]);
	chunk->next = NULL;
	chunk->nents = 0;
	chunk->max_ents = min_t(size_t, n, U32_MAX);
	table->first = chunk;
	table->tail = chunk;
	table->flags |= DMA_SG_CALLER_CHUNK;
}
EXPORT_SYMBOL_GPL(__dma_sg_table_init_chunk);

static bool dma_sg_chunk_is_callers(const struct dma_sg_table *table,
				    const struct dma_sg_chunk *chunk)
{
	return chunk == table->first && (table->flags & DMA_SG_CALLER_CHUNK);
}

/* Free @chunk and every chunk after it, except a caller's chunk. */
static void dma_sg_free_chain(struct dma_sg_table *table,
			      struct dma_sg_chunk *chunk)
{
	while (chunk) {
		struct dma_sg_chunk *next = chunk->next;

		if (!dma_sg_chunk_is_callers(table, chunk))
			dma_sg_chunk_free(chunk);
		chunk = next;
	}
}

/**
 * dma_sg_table_free - release the chunks of a table
 * @table: the table.
 *
 * Frees every chunk the table allocated.  The table is left empty and can
 * be reused; a caller-supplied first chunk stays attached.
 */
void dma_sg_table_free(struct dma_sg_table *table)
{
	struct dma_sg_chunk *keep = NULL;

	if (table->flags & DMA_SG_CALLER_CHUNK)
		keep = table->first;
	if (!(table->flags & DMA_SG_INLINE))
		dma_sg_free_chain(table, table->first);
	if (keep) {
		keep->next = NULL;
		keep->nents = 0;
	}
	table->flags &= ~DMA_SG_INLINE;
	table->first = keep;
	table->tail = keep;
	table->nents = 0;
	table->len = 0;
	table->size_hint = 0;
}
EXPORT_SYMBOL_GPL(dma_sg_table_free);

/**
 * dma_sg_table_size_hint - tell a table how many entries it will hold
 * @table: the table.
 * @nents: entries expected in all; 0 drops the hint.
 *
 * Chunks allocated from now on are sized, up to a page each, for the
 * entries still expected, instead of growing from small ones, and split in
 * two where that fits them in less memory than one chunk of kmalloc's next
 * power of two.  An upper bound is fine: a table that ends smaller holds
 * at most one chunk larger than it needs.  Past the hint, chunks grow as
 * they would without one.  The table forgets the hint when freed.
 */
void dma_sg_table_size_hint(struct dma_sg_table *table, u64 nents)
{
	table->size_hint = min_t(u64, nents, U32_MAX);
}
EXPORT_SYMBOL_GPL(dma_sg_table_size_hint);

/* Bytes of the smallest power-of-two chunk that holds @ents entries. */
static size_t dma_sg_fit_bytes(u64 ents)
{
	return max_t(size_t, DMA_SG_MIN_CHUNK,
		     roundup_pow_of_two(struct_size_t(struct dma_sg_chunk, ents,
						      ents)));
}

/*
 * Size of the next chunk for @want entries that a size hint still expects,
 * up to a page.  kmalloc rounds up to a power of two, so entries that
 * overflow one size by only a little fit in less memory as a chunk of half
 * that size and a small one after it: 64 entries take 1 KiB and 64 bytes
 * rather than 2 KiB.
 */
static size_t dma_sg_hinted_chunk_bytes(u64 want)
{
	size_t bytes, half;
	u64 fits;

	if (want >= DMA_SG_CHUNK_ENTS)
		return PAGE_SIZE;
	bytes = dma_sg_fit_bytes(want);
	half = bytes / 2;
	if (half < DMA_SG_MIN_CHUNK)
		return bytes;
	fits = (half - sizeof(struct dma_sg_chunk)) / sizeof(struct dma_sg);
	return half + dma_sg_fit_bytes(want - fits) < bytes ? half : bytes;
}

/*
 * Size of the next chunk of @table: a power of two at least twice the size
 * of its tail chunk, from DMA_SG_MIN_CHUNK up to a page.  The chunks of a
 * growing table then stay a fraction of its size, and kmalloc wastes
 * nothing on a power of two.  While a size hint expects more entries, the
 * chunk is sized for them instead, so that a table whose size the builder
 * knows takes one allocation per page, as a scatterlist does, and little
 * more memory than its entries.  The first chunk after an inline entry
 * holds that entry too.
 */
static size_t dma_sg_next_chunk_bytes(const struct dma_sg_table *table)
{
	bool in = table->flags & DMA_SG_INLINE;
	const struct dma_sg_chunk *tail = in ? NULL : table->tail;
	size_t prev = tail ? struct_size(tail, ents, tail->max_ents) : 0;
	u64 held = in ? 0 : table->nents;
	size_t bytes = DMA_SG_MIN_CHUNK;

	if (table->size_hint > held)
		return dma_sg_hinted_chunk_bytes(table->size_hint - held);
	while (bytes < PAGE_SIZE && bytes / 2 < prev)
		bytes *= 2;
	return bytes;
}

/*
 * Return a slot for a new entry at the end of @table, allocating if full.
 * The first entry of a table with no storage goes inline; the second moves
 * it into the first chunk.
 */
static struct dma_sg *dma_sg_new_slot(struct dma_sg_table *table, gfp_t gfp)
{
	bool in = table->flags & DMA_SG_INLINE;
	struct dma_sg_chunk *tail = in ? NULL : table->tail;
	struct dma_sg_chunk *chunk;
	size_t bytes;

	if (tail && tail->nents < tail->max_ents)
		return &tail->ents[tail->nents++];
	if (!in && !tail) {
		table->flags |= DMA_SG_INLINE;
		return &table->one;
	}

	bytes = dma_sg_next_chunk_bytes(table);
	chunk = dma_sg_chunk_alloc(bytes, gfp);
	if (!chunk)
		return NULL;
	chunk->next = NULL;
	chunk->nents = 0;
	chunk->max_ents = (bytes - sizeof(*chunk)) / sizeof(chunk->ents[0]);
	if (in) {
		chunk->ents[chunk->nents++] = table->one;
		table->flags &= ~DMA_SG_INLINE;
		table->first = chunk;
	} else {
		tail->next = chunk;
	}
	table->tail = chunk;
	return &chunk->ents[chunk->nents++];
}

static struct dma_sg *dma_sg_last(struct dma_sg_table *table)
{
	if (!table->nents)
		return NULL;
	if (table->flags & DMA_SG_INLINE)
		return &table->one;
	return &table->tail->ents[table->tail->nents - 1];
}

static bool dma_sg_can_merge(const struct dma_sg_table *table,
			     const struct dma_sg *last, dma_addr_t addr)
{
	return last && dma_sg_continues(table, last, addr);
}

/* Add a checked range; the caller has verified the total does not wrap. */
static int dma_sg_push(struct dma_sg_table *table, dma_addr_t addr, u64 len,
		       bool merge, gfp_t gfp)
{
	struct dma_sg *sg = merge ? dma_sg_last(table) : NULL;

	if (sg) {
		sg->len += len;
	} else {
		sg = dma_sg_new_slot(table, gfp);
		if (!sg)
			return -ENOMEM;
		sg->addr = addr;
		sg->len = len;
		table->nents++;
	}
	table->len += len;
	return 0;
}

static int dma_sg_check(const struct dma_sg_table *table, dma_addr_t addr,
			u64 len)
{
	u64 total;

	if (!dma_sg_range_ok(addr, len))
		return len ? -EOVERFLOW : -EINVAL;
	if (check_add_overflow(table->len, len, &total))
		return -EOVERFLOW;
	return 0;
}

/**
 * __dma_sg_append - append one range to a table, out of line
 * @table: the table.
 * @addr: DMA address of the range.
 * @len: length of the range in bytes.
 * @gfp: allocation flags for a new chunk.
 *
 * The slow path of dma_sg_append(): the first entry, an inline one, a full
 * tail chunk, and every error.  Call dma_sg_append() instead.
 *
 * Return: as for dma_sg_append().
 */
int __dma_sg_append(struct dma_sg_table *table, dma_addr_t addr, u64 len,
		    gfp_t gfp)
{
	int ret = dma_sg_check(table, addr, len);

	if (ret)
		return ret;
	return dma_sg_push(table, addr, len,
			   dma_sg_can_merge(table, dma_sg_last(table), addr), gfp);
}
EXPORT_SYMBOL_GPL(__dma_sg_append);

/* Longest piece starting at @addr allowed by the segment limits. */
static u64 dma_sg_piece(dma_addr_t addr, u64 len, u64 max_seg, u64 mask)
{
	/* Bytes up to the next boundary: mask - (addr & mask) + 1, minus 1. */
	u64 to_boundary = mask - ((u64)addr & mask);

	return min3(len - 1, max_seg - 1, to_boundary) + 1;
}

/*
 * Bytes from the start of [@addr, @addr + @len) that @last, which ends at
 * @addr, can take without breaking the segment limits.  @last qualifies
 * only if it lies in the boundary window of @addr and is below @max_seg.
 */
static u64 dma_sg_merge_room(const struct dma_sg *last, dma_addr_t addr,
			     u64 len, u64 max_seg, u64 mask)
{
	if (last->len >= max_seg || (last->addr & ~mask) != (addr & ~mask))
		return 0;
	return min3(len - 1, max_seg - last->len - 1, mask - (addr & mask)) + 1;
}

/**
 * dma_sg_append_split - append a range, splitting it to fit segment limits
 * @table: the table.
 * @addr: DMA address of the range.
 * @len: length of the range in bytes.
 * @max_seg_size: longest entry allowed; not zero.
 * @seg_boundary_mask: no entry may cross a multiple of this mask plus one;
 *	a power of two minus one, at least 1.  ~0 means no boundary.
 * @gfp: allocation flags for new chunks.
 *
 * This is how a device's dma_parms are honoured: see dma_get_max_seg_size()
 * and dma_get_seg_boundary().  Unless the table has DMA_SG_NO_MERGE, as
 * much of the start of the range as both limits allow is merged into the
 * last entry, the way sg_alloc_append_table_from_pages() fills its last
 * segment.  Appending a range in contiguous pieces therefore builds the
 * same table as appending it whole.
 *
 * Return: 0 on success; -EINVAL for a zero length, a zero @max_seg_size
 * or a malformed @seg_boundary_mask; -EOVERFLOW as for dma_sg_append();
 * -ENOMEM if a chunk could not be allocated.  On error the table is
 * unchanged and no chunk is left allocated by this call.
 */
int dma_sg_append_split(struct dma_sg_table *table, dma_addr_t addr, u64 len,
			u64 max_seg_size, u64 seg_boundary_mask, gfp_t gfp)
{
	u64 mask = seg_boundary_mask;
	struct dma_sg *last = dma_sg_last(table);
	u64 saved_nents = table->nents, saved_len = table->len;
	u64 saved_last_len = last ? last->len : 0;
	u32 saved_hint = table->size_hint;
	int ret;

	/* A zero mask would mean one-byte entries: reject it as nonsense. */
	if (!max_seg_size || !mask || (mask & (mask + 1)))
		return -EINVAL;
	ret = dma_sg_check(table, addr, len);
	if (ret)
		return ret;

	if (dma_sg_can_merge(table, last, addr)) {
		u64 piece = dma_sg_merge_room(last, addr, len, max_seg_size,
					      mask);

		last->len += piece;
		table->len += piece;
		addr += piece;
		len -= piece;
	}
	while (len) {
		u64 piece = dma_sg_piece(addr, len, max_seg_size, mask);

		ret = dma_sg_push(table, addr, piece, false, gfp);
		if (ret)
			goto rollback;
		addr += piece;
		len -= piece;
	}
	return 0;

rollback:
	/*
	 * First, so that an entry moved out of the table by the growth is
	 * back inline, where @last points, and the table's hint survives a
	 * truncate to empty.
	 */
	dma_sg_truncate(table, saved_nents);
	table->size_hint = saved_hint;
	if (last)
		last->len = saved_last_len;
	table->len = saved_len;
	return ret;
}
EXPORT_SYMBOL_GPL(dma_sg_append_split);

/**
 * dma_sg_truncate - drop entries from the end of a table
 * @table: the table.
 * @nents: number of entries to keep.
 *
 * Chunks that no longer hold an entry are freed at once.  A table with no
 * caller chunk that keeps one entry holds it inline, as it was appended,
 * and frees its chunks: pointers to that entry no longer hold.
 *
 * Return: 0 on success, or -EINVAL if @nents exceeds the entry count; the
 * table is then unchanged.
 */
int dma_sg_truncate(struct dma_sg_table *table, u64 nents)
{
	struct dma_sg_chunk *chunk, *drop;
	u64 left = nents;
	struct dma_sg one;
	u32 i;

	if (nents > table->nents)
		return -EINVAL;
	if (nents == table->nents)
		return 0;
	if (!nents) {
		dma_sg_table_free(table);
		return 0;
	}
	/* Not inline: it holds more than one entry. */
	chunk = table->first;
	/* A lone entry goes back inline, as it would have been appended. */
	if (nents == 1 && !(table->flags & DMA_SG_CALLER_CHUNK)) {
		one = chunk->ents[0];
		dma_sg_free_chain(table, chunk);
		table->one = one;
		table->flags |= DMA_SG_INLINE;
		table->nents = 1;
		table->len = one.len;
		return 0;
	}
	while (left > chunk->nents) {
		left -= chunk->nents;
		chunk = chunk->next;
	}
	for (drop = chunk->next; drop; drop = drop->next)
		for (i = 0; i < drop->nents; i++)
			table->len -= drop->ents[i].len;
	while (chunk->nents > left)
		table->len -= chunk->ents[--chunk->nents].len;
	dma_sg_free_chain(table, chunk->next);
	chunk->next = NULL;
	table->tail = chunk;
	table->nents = nents;
	return 0;
}
EXPORT_SYMBOL_GPL(dma_sg_truncate);
