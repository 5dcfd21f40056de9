/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dma_sg: page-less DMA scatter/gather tables
 *
 * A struct dma_sg holds only the DMA side of a transfer: a bus address and
 * a 64-bit length.  Tables of them are stored in chained chunks that grow
 * to a page, so that they can describe gigabytes of memory with no limit
 * on the entry count.  See Documentation/core-api/dma-sg.rst.
 */
#ifndef _LINUX_DMA_SG_H
#define _LINUX_DMA_SG_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/gfp_types.h>
#include <linux/overflow.h>
#include <linux/types.h>
#include <asm/page.h>

/**
 * struct dma_sg - one DMA-contiguous range
 * @addr: DMA address of the first byte, as the device must see it.
 * @len: length in bytes; never zero in a table.  The range never wraps:
 *	@addr + @len - 1 fits in a dma_addr_t.
 */
struct dma_sg {
	dma_addr_t addr;
	u64 len;
};

#ifdef CONFIG_ARCH_DMA_ADDR_T_64BIT
static_assert(sizeof(struct dma_sg) == 16);
#endif

/**
 * struct dma_sg_chunk - one array of entries in a table's chain
 * @next: the next chunk, or NULL for the last one.
 * @nents: entries in use in @ents.
 * @max_ents: capacity of @ents.
 * @ents: the entries.
 *
 * Chunks the table allocates double in size, from DMA_SG_MIN_CHUNK bytes
 * up to a page, so that small tables stay small; a size hint from the
 * builder makes them larger sooner.  The first chunk may be supplied by
 * the caller, see DMA_SG_FIRST_CHUNK().
 */
struct dma_sg_chunk {
	struct dma_sg_chunk *next;
	u32 nents;
	u32 max_ents;
	struct dma_sg ents[];
};

/*
 * Bytes of the smallest chunk a table allocates: three entries.  A table
 * that owns its storage keeps a lone entry inline, so its first chunk
 * must hold at least two.
 */
#define DMA_SG_MIN_CHUNK	64
static_assert(struct_size_t(struct dma_sg_chunk, ents, 2) <= DMA_SG_MIN_CHUNK);

/* Entries in one allocated, page-sized chunk: the largest kind. */
#define DMA_SG_CHUNK_ENTS \
	((u32)((PAGE_SIZE - sizeof(struct dma_sg_chunk)) / sizeof(struct dma_sg)))

/* Table flags. */
#define DMA_SG_NO_MERGE		BIT(0)	/* never merge contiguous appends */
#define DMA_SG_CALLER_CHUNK	BIT(1)	/* first chunk belongs to the caller */
#define DMA_SG_INLINE		BIT(2)	/* the one entry is @one: no chunk */

/**
 * struct dma_sg_table - a chained table of DMA ranges
 * @first: the first chunk, or NULL while the table is empty and owns no
 *	storage.
 * @tail: the chunk that receives the next append.
 * @one: the entry of a table that holds exactly one and no caller chunk;
 *	@first and @tail are then unused (DMA_SG_INLINE).
 * @nents: number of entries in the table.
 * @len: sum of the lengths of all entries.
 * @flags: DMA_SG_NO_MERGE, DMA_SG_CALLER_CHUNK and DMA_SG_INLINE.
 * @size_hint: entries expected in all, from dma_sg_table_size_hint(), or 0.
 *
 * A lone entry lives in the table itself, so that a one-entry table
 * allocates nothing and takes less memory than a scatterlist of one.
 *
 * Initialise with dma_sg_table_init() or dma_sg_table_init_chunk(), and
 * release with dma_sg_table_free().  The table does no locking.  Walk it
 * with the iterators below, never through @first.
 */
struct dma_sg_table {
	union {
		struct {
			struct dma_sg_chunk *first;
			struct dma_sg_chunk *tail;
		};
		struct dma_sg one;
	};
	u64 nents;
	u64 len;
	unsigned int flags;
	u32 size_hint;
};

#ifdef CONFIG_ARCH_DMA_ADDR_T_64BIT
static_assert(sizeof(struct dma_sg_table) == 40);
#endif

/**
 * DMA_SG_FIRST_CHUNK - declare storage for a caller-supplied first chunk
 * @name: name of the storage.
 * @n: number of entries it holds.
 *
 * Expands to a declaration that can go on the stack or inside another
 * structure.  Pass it to dma_sg_table_init_chunk() so that tables of up to
 * @n entries need no allocation, the way sg_alloc_table_chained() serves
 * block drivers.
 */
#define DMA_SG_FIRST_CHUNK(name, n)					\
	union {								\
		struct dma_sg_chunk chunk;				\
		u8 bytes[struct_size_t(struct dma_sg_chunk, ents, n)];	\
	} name

void dma_sg_table_init(struct dma_sg_table *table, unsigned int flags);
void __dma_sg_table_init_chunk(struct dma_sg_table *table,
			       struct dma_sg_chunk *chunk, size_t bytes,
			       unsigned int flags);

/**
 * dma_sg_table_init_chunk - initialise a table on caller-supplied storage
 * @table: the table.
 * @storage: a DMA_SG_FIRST_CHUNK() declaration, not a pointer to one.
 * @flags: DMA_SG_NO_MERGE or 0.
 *
 * The table fills @storage first and chains allocated chunks after it.
 * @storage must outlive the table.
 */
#define dma_sg_table_init_chunk(table, storage, flags)			\
	__dma_sg_table_init_chunk(table, &(storage).chunk, sizeof(storage), \
				  flags)

void dma_sg_table_free(struct dma_sg_table *table);
void dma_sg_table_size_hint(struct dma_sg_table *table, u64 nents);

int __dma_sg_append(struct dma_sg_table *table, dma_addr_t addr, u64 len,
		    gfp_t gfp);
int dma_sg_append_split(struct dma_sg_table *table, dma_addr_t addr, u64 len,
			u64 max_seg_size, u64 seg_boundary_mask, gfp_t gfp);
int dma_sg_truncate(struct dma_sg_table *table, u64 nents);

/**
 * dma_sg_table_nents - number of entries in a table
 * @table: the table.
 *
 * Return: the entry count.
 */
static inline u64 dma_sg_table_nents(const struct dma_sg_table *table)
{
	return table->nents;
}

/**
 * dma_sg_table_len - total length of a table
 * @table: the table.
 *
 * Return: the sum of the lengths of all entries, in bytes.
 */
static inline u64 dma_sg_table_len(const struct dma_sg_table *table)
{
	return table->len;
}

/**
 * dma_sg_range_ok - check that a range is non-empty and does not wrap
 * @addr: first byte.
 * @len: length in bytes.
 *
 * Return: true if @len is not zero and @addr + @len - 1 fits in a
 * dma_addr_t.
 */
static inline bool dma_sg_range_ok(dma_addr_t addr, u64 len)
{
	return len && len - 1 <= (u64)(dma_addr_t)~addr;
}

/**
 * dma_sg_continues - would a range at @addr extend entry @last?
 * @table: the table @last belongs to.
 * @last: its last entry.
 * @addr: DMA address of the new range.
 *
 * An entry that ends at the top of the address space "ends" at 0 once
 * wrapped, so nothing merges across it.
 *
 * Return: true if the range may be merged into @last.
 */
static inline bool dma_sg_continues(const struct dma_sg_table *table,
				    const struct dma_sg *last, dma_addr_t addr)
{
	return !(table->flags & DMA_SG_NO_MERGE) && addr &&
	       last->addr + (dma_addr_t)last->len == addr;
}

/**
 * dma_sg_add_tail - private: write a new entry into the tail chunk
 * @table: the table.
 * @tail: its tail chunk, with room for one more entry.
 * @addr: DMA address of the new entry.
 * @len: its length.
 * @total: the table's new total length.
 */
static inline void dma_sg_add_tail(struct dma_sg_table *table,
				   struct dma_sg_chunk *tail, dma_addr_t addr,
				   u64 len, u64 total)
{
	tail->ents[tail->nents].addr = addr;
	tail->ents[tail->nents].len = len;
	tail->nents++;
	table->nents++;
	table->len = total;
}

/**
 * dma_sg_append - append one range to a table
 * @table: the table.
 * @addr: DMA address of the range.
 * @len: length of the range in bytes.
 * @gfp: allocation flags for a new chunk.
 *
 * The range is merged into the last entry when it starts where that entry
 * ends, unless the table was initialised with DMA_SG_NO_MERGE.  The common
 * case, room in the tail chunk, is inline: table builders call this once
 * per range, and a call per entry is what made it slower than filling a
 * preallocated scatterlist.
 *
 * Return: 0 on success; -EINVAL if @len is zero; -EOVERFLOW if the range
 * wraps the DMA address space or the table's total length would overflow;
 * -ENOMEM if a chunk could not be allocated.  On error the table is
 * unchanged.
 */
static inline int dma_sg_append(struct dma_sg_table *table, dma_addr_t addr,
				u64 len, gfp_t gfp)
{
	struct dma_sg_chunk *tail = table->tail;
	struct dma_sg *last;
	u64 total;

	/* An inline entry overlays @tail: the flag goes first. */
	if (unlikely((table->flags & DMA_SG_INLINE) || !tail ||
		     tail->nents == tail->max_ents ||
		     !dma_sg_range_ok(addr, len) ||
		     check_add_overflow(table->len, len, &total)))
		return __dma_sg_append(table, addr, len, gfp);

	/* An empty tail chunk is the empty table's first chunk. */
	last = tail->nents ? &tail->ents[tail->nents - 1] : NULL;
	if (last && dma_sg_continues(table, last, addr)) {
		last->len += len;
		table->len = total;
		return 0;
	}
	dma_sg_add_tail(table, tail, addr, len, total);
	return 0;
}

/**
 * dma_sg_append_limited - dma_sg_append_split() with an inline common case
 * @table: the table.
 * @addr: DMA address of the range.
 * @len: length of the range in bytes.
 * @max_seg_size: longest entry allowed; not zero.
 * @seg_boundary_mask: as for dma_sg_append_split().
 * @gfp: allocation flags for a new chunk.
 *
 * A mapper appends one range per page of scattered memory: a range that
 * fits the limits as it is, does not merge, and finds room in the tail
 * chunk is written inline; anything else goes to dma_sg_append_split().
 *
 * Return: as dma_sg_append_split(), whose table it builds.
 */
static inline int dma_sg_append_limited(struct dma_sg_table *table,
					dma_addr_t addr, u64 len,
					u64 max_seg_size,
					u64 seg_boundary_mask, gfp_t gfp)
{
	u64 mask = seg_boundary_mask;
	struct dma_sg_chunk *tail = table->tail;
	struct dma_sg *last;
	u64 total;

	/*
	 * An inline entry overlays @tail: the flag goes first.  A zero @len
	 * wraps to fail the length test, which makes one compare of two.
	 */
	if (unlikely((table->flags & DMA_SG_INLINE) || !tail ||
		     tail->nents == tail->max_ents ||
		     !mask || (mask & (mask + 1)) ||
		     len - 1 >= max_seg_size ||
		     len - 1 > mask - ((u64)addr & mask) ||
		     !dma_sg_range_ok(addr, len) ||
		     check_add_overflow(table->len, len, &total)))
		return dma_sg_append_split(table, addr, len, max_seg_size,
					   mask, gfp);

	last = tail->nents ? &tail->ents[tail->nents - 1] : NULL;
	if (last && dma_sg_continues(table, last, addr))
		return dma_sg_append_split(table, addr, len, max_seg_size,
					   mask, gfp);
	dma_sg_add_tail(table, tail, addr, len, total);
	return 0;
}

/**
 * struct dma_sg_writer - private: a table builder's cursor in the tail chunk
 * @slot: the next free entry of the tail chunk.
 * @end: one past the tail chunk's last entry; @slot == @end when full.
 * @start: @slot when the writer started.
 * @ends_at: DMA address where the last entry ends, or 0 with no entry in
 *	the tail chunk.  A range that starts there may merge: the writer
 *	leaves it to dma_sg_append(), as it does a range at address 0.
 * @len: bytes written through the writer.
 *
 * A mapper that appends one range per page of scattered memory keeps the
 * table's tail in registers with it, on the stack: dma_sg_append() has to
 * reload the tail from the table on every call, and its checks repeat
 * what the mapper knows.  Between dma_sg_writer_start() and
 * dma_sg_writer_end(), only the writer may touch the table.
 */
struct dma_sg_writer {
	struct dma_sg *slot;
	struct dma_sg *end;
	struct dma_sg *start;
	dma_addr_t ends_at;
	u64 len;
};

/**
 * dma_sg_writer_start - private: open a writer on a table's tail chunk
 * @table: the table.
 * @w: the writer.
 *
 * A table with no tail chunk yet, or with an inline entry, gives a full
 * writer: every range then goes to dma_sg_append().
 */
static inline void dma_sg_writer_start(struct dma_sg_table *table,
				       struct dma_sg_writer *w)
{
	struct dma_sg_chunk *tail = table->tail;

	w->len = 0;
	w->ends_at = 0;
	if ((table->flags & DMA_SG_INLINE) || !tail) {
		w->slot = NULL;
		w->end = NULL;
		w->start = NULL;
		return;
	}
	w->slot = &tail->ents[tail->nents];
	w->end = &tail->ents[tail->max_ents];
	w->start = w->slot;
	if (tail->nents)
		w->ends_at = w->slot[-1].addr + (dma_addr_t)w->slot[-1].len;
}

/**
 * dma_sg_writer_add - private: write one range through a writer
 * @w: the writer.
 * @addr: DMA address of the range.
 * @len: its length.
 *
 * The caller has checked that @len is not zero, that the range does not
 * wrap, that it fits the segment limits it builds the table for, and that
 * the table's total length cannot overflow.
 *
 * Return: true if written; false if the tail chunk is full or the range
 * may merge, and the caller must end the writer and use dma_sg_append()
 * or dma_sg_append_limited().
 */
static inline bool dma_sg_writer_add(struct dma_sg_writer *w,
				     dma_addr_t addr, u64 len)
{
	if (w->slot == w->end || addr == w->ends_at)
		return false;
	w->slot->addr = addr;
	w->slot->len = len;
	w->slot++;
	w->ends_at = addr + (dma_addr_t)len;
	w->len += len;
	return true;
}

/**
 * dma_sg_writer_end - private: account what a writer wrote to its table
 * @table: the table.
 * @w: the writer, which may be started again afterwards.
 */
static inline void dma_sg_writer_end(struct dma_sg_table *table,
				     struct dma_sg_writer *w)
{
	u32 n = w->slot - w->start;

	if (!n)
		return;
	table->tail->nents += n;
	table->nents += n;
	table->len += w->len;
	w->start = w->slot;
	w->len = 0;
}

/**
 * struct dma_sg_iter - position in a table
 * @sg: the current entry.
 * @end: one past the last entry of the current chunk.
 * @chunk: the current chunk, or NULL for an inline entry.
 */
struct dma_sg_iter {
	struct dma_sg *sg;
	struct dma_sg *end;
	struct dma_sg_chunk *chunk;
};

/**
 * dma_sg_iter_chunk - private: point an iterator at a chunk's entries
 * @iter: the iterator.
 * @chunk: a chunk of the table, never empty; NULL past the last one.
 *
 * Return: the chunk's first entry, or NULL.
 */
static inline struct dma_sg *dma_sg_iter_chunk(struct dma_sg_iter *iter,
					       struct dma_sg_chunk *chunk)
{
	iter->chunk = chunk;
	iter->sg = chunk ? chunk->ents : NULL;
	iter->end = chunk ? chunk->ents + chunk->nents : NULL;
	return iter->sg;
}

/**
 * dma_sg_iter_start - point an iterator at the first entry of a table
 * @iter: the iterator.
 * @table: the table.
 *
 * Return: the first entry, or NULL if the table is empty.
 */
static inline struct dma_sg *dma_sg_iter_start(struct dma_sg_iter *iter,
					       const struct dma_sg_table *table)
{
	/* Entries are the caller's to change, as in a chunk: drop const. */
	if (table->flags & DMA_SG_INLINE) {
		iter->chunk = NULL;
		iter->sg = (struct dma_sg *)&table->one;
		iter->end = iter->sg + 1;
		return iter->sg;
	}
	return dma_sg_iter_chunk(iter, table->nents ? table->first : NULL);
}

/**
 * dma_sg_iter_next - advance an iterator
 * @iter: the iterator.
 *
 * Return: the next entry, or NULL after the last one.
 */
static inline struct dma_sg *dma_sg_iter_next(struct dma_sg_iter *iter)
{
	if (++iter->sg < iter->end)
		return iter->sg;
	/* Chunks after the tail are never kept, so a chunk is never empty. */
	return dma_sg_iter_chunk(iter, iter->chunk ? iter->chunk->next : NULL);
}

/**
 * dma_sg_first - the first entry of a table
 * @table: the table.
 *
 * The entry of a one-entry table moves when a second one is appended or
 * the table is truncated to one: do not keep the pointer across either.
 *
 * Return: the first entry, or NULL if the table is empty.
 */
static inline struct dma_sg *dma_sg_first(const struct dma_sg_table *table)
{
	if (table->flags & DMA_SG_INLINE)
		return (struct dma_sg *)&table->one;
	return table->nents ? &table->first->ents[0] : NULL;
}

/**
 * struct dma_sg_cursor - a byte position in a table
 * @iter: entry cursor.
 * @sg: the entry that holds the position, NULL past the end.
 * @off: offset of the position in @sg.
 */
struct dma_sg_cursor {
	struct dma_sg_iter iter;
	struct dma_sg *sg;
	u64 off;
};

/**
 * dma_sg_cursor_advance - move a cursor forward
 * @cur: the cursor.
 * @len: bytes to move by.
 *
 * Return: true while the cursor is inside the table.
 */
static inline bool dma_sg_cursor_advance(struct dma_sg_cursor *cur, u64 len)
{
	while (cur->sg && len >= cur->sg->len - cur->off) {
		len -= cur->sg->len - cur->off;
		cur->off = 0;
		cur->sg = dma_sg_iter_next(&cur->iter);
	}
	if (cur->sg)
		cur->off += len;
	return cur->sg;
}

/**
 * dma_sg_cursor_seek - point a cursor at a byte of a table
 * @cur: the cursor.
 * @table: the table.
 * @offset: the byte, counted from the start of the table.
 *
 * Return: true if @offset is inside the table.
 */
static inline bool dma_sg_cursor_seek(struct dma_sg_cursor *cur,
				      const struct dma_sg_table *table,
				      u64 offset)
{
	cur->sg = dma_sg_iter_start(&cur->iter, table);
	cur->off = 0;
	return dma_sg_cursor_advance(cur, offset);
}

/**
 * dma_sg_cursor_addr - DMA address at a cursor
 * @cur: a cursor inside its table.
 *
 * Return: the DMA address of the byte the cursor points at.
 */
static inline dma_addr_t dma_sg_cursor_addr(const struct dma_sg_cursor *cur)
{
	return cur->sg->addr + (dma_addr_t)cur->off;
}

/**
 * dma_sg_cursor_left - bytes from a cursor to the end of its entry
 * @cur: a cursor inside its table.
 *
 * Return: the bytes that are DMA-contiguous from the cursor on.
 */
static inline u64 dma_sg_cursor_left(const struct dma_sg_cursor *cur)
{
	return cur->sg->len - cur->off;
}

/**
 * struct dma_sg_piece - position of a walk in pieces of bounded length
 * @cur: byte cursor.
 * @max: longest piece.
 * @addr: DMA address of the current piece.
 * @len: length of the current piece, 1 to @max.
 */
struct dma_sg_piece {
	struct dma_sg_cursor cur;
	u64 max;
	dma_addr_t addr;
	u64 len;
};

/**
 * dma_sg_piece_fill - private: describe the piece at the cursor
 * @piece: the walk.
 *
 * Return: true if there is a piece.
 */
static inline bool dma_sg_piece_fill(struct dma_sg_piece *piece)
{
	u64 left;

	if (!piece->cur.sg)
		return false;
	left = dma_sg_cursor_left(&piece->cur);
	piece->addr = dma_sg_cursor_addr(&piece->cur);
	piece->len = left < piece->max ? left : piece->max;
	return true;
}

/**
 * dma_sg_piece_start - private: start a dma_sg_for_each_piece() walk
 * @piece: the walk.
 * @table: the table.
 * @max: longest piece; not zero.
 *
 * Return: @piece if there is a first piece, else NULL.
 */
static inline struct dma_sg_piece *
dma_sg_piece_start(struct dma_sg_piece *piece,
		   const struct dma_sg_table *table, u64 max)
{
	piece->max = max;
	dma_sg_cursor_seek(&piece->cur, table, 0);
	return max && dma_sg_piece_fill(piece) ? piece : NULL;
}

/**
 * dma_sg_piece_next - private: step a dma_sg_for_each_piece() walk
 * @piece: the walk.
 *
 * Return: @piece if there is another piece, else NULL.
 */
static inline struct dma_sg_piece *dma_sg_piece_next(struct dma_sg_piece *piece)
{
	dma_sg_cursor_advance(&piece->cur, piece->len);
	return dma_sg_piece_fill(piece) ? piece : NULL;
}

/**
 * dma_sg_for_each_piece - walk a table in pieces of at most @max bytes
 * @table: the table.
 * @piece: a struct dma_sg_piece; @piece.addr and @piece.len describe
 *	each piece in turn.
 * @max: longest piece, such as a descriptor's length limit; not zero.
 *
 * Each entry is cut into pieces of @max bytes and a shorter last one; a
 * piece never spans two entries.
 */
#define dma_sg_for_each_piece(table, piece, max)			\
	for (struct dma_sg_piece *__dsp =				\
		dma_sg_piece_start(&(piece), (table), (max));		\
	     __dsp; __dsp = dma_sg_piece_next(__dsp))

/**
 * struct dma_sg_loop - private cursor of dma_sg_for_each()
 * @entry: the caller's entry pointer.
 * @pos: the caller's iterator.
 *
 * Holding pointers to the caller's variables lets the macro name each of
 * its arguments once, so an argument with side effects is evaluated once.
 */
struct dma_sg_loop {
	struct dma_sg **entry;
	struct dma_sg_iter *pos;
};

/**
 * dma_sg_loop_start - private: start a dma_sg_for_each() walk
 * @sg: the caller's entry pointer, set to the first entry or NULL.
 * @iter: the caller's iterator.
 * @table: the table.
 *
 * Return: the cursor of the walk.
 */
static inline struct dma_sg_loop dma_sg_loop_start(struct dma_sg **sg,
						   struct dma_sg_iter *iter,
						   const struct dma_sg_table *table)
{
	*sg = dma_sg_iter_start(iter, table);
	return (struct dma_sg_loop){ .entry = sg, .pos = iter };
}

/**
 * dma_sg_for_each - iterate over the entries of a table
 * @table: the table.
 * @sg: a struct dma_sg pointer, set to each entry in turn.
 * @iter: a struct dma_sg_iter used as the cursor.
 *
 * Entries may be modified in place, but the table must not be appended to
 * or truncated during the walk: either may move entries.
 */
#define dma_sg_for_each(table, sg, iter)				\
	for (struct dma_sg_loop __dsl =					\
		dma_sg_loop_start(&(sg), &(iter), (table));		\
	     *__dsl.entry; *__dsl.entry = dma_sg_iter_next(__dsl.pos))

/**
 * struct dma_sg_block_iter - position of a fixed-block walk over a table
 * @iter: entry cursor.
 * @sg: current entry, NULL when done.
 * @pgsz: block size, a power of two.
 * @block: DMA address of the current block, aligned to @pgsz.
 */
struct dma_sg_block_iter {
	struct dma_sg_iter iter;
	struct dma_sg *sg;
	u64 pgsz;
	dma_addr_t block;
};

/**
 * dma_sg_block_iter_start - start a fixed-block walk
 * @biter: the block iterator.
 * @table: the table.
 * @pgsz: block size; a power of two.
 *
 * Return: true if there is a first block.
 */
static inline bool dma_sg_block_iter_start(struct dma_sg_block_iter *biter,
					   const struct dma_sg_table *table,
					   u64 pgsz)
{
	biter->pgsz = pgsz;
	biter->sg = dma_sg_iter_start(&biter->iter, table);
	if (biter->sg)
		biter->block = biter->sg->addr & ~(dma_addr_t)(pgsz - 1);
	return biter->sg;
}

/**
 * dma_sg_block_iter_next - advance a fixed-block walk
 * @biter: the block iterator.
 *
 * Return: true if there is another block.
 */
static inline bool dma_sg_block_iter_next(struct dma_sg_block_iter *biter)
{
	/* Last byte of the entry; cannot wrap, see dma_sg_range_ok(). */
	dma_addr_t last = biter->sg->addr + (dma_addr_t)(biter->sg->len - 1);

	if ((last & ~(dma_addr_t)(biter->pgsz - 1)) != biter->block) {
		biter->block += biter->pgsz;
		return true;
	}
	biter->sg = dma_sg_iter_next(&biter->iter);
	if (biter->sg)
		biter->block = biter->sg->addr & ~(dma_addr_t)(biter->pgsz - 1);
	return biter->sg;
}

/**
 * dma_sg_block_iter_dma_address - DMA address of the current block
 * @biter: the block iterator.
 *
 * Return: the block's address, aligned to the block size.
 */
static inline dma_addr_t
dma_sg_block_iter_dma_address(const struct dma_sg_block_iter *biter)
{
	return biter->block;
}

/**
 * dma_sg_block_loop_start - private: start a dma_sg_for_each_block() walk
 * @biter: the caller's block iterator.
 * @table: the table.
 * @pgsz: block size, a power of two.
 *
 * Return: @biter if there is a first block, else NULL.
 */
static inline struct dma_sg_block_iter *
dma_sg_block_loop_start(struct dma_sg_block_iter *biter,
			const struct dma_sg_table *table, u64 pgsz)
{
	return dma_sg_block_iter_start(biter, table, pgsz) ? biter : NULL;
}

/**
 * dma_sg_block_loop_next - private: step a dma_sg_for_each_block() walk
 * @biter: the caller's block iterator.
 *
 * Return: @biter if there is another block, else NULL.
 */
static inline struct dma_sg_block_iter *
dma_sg_block_loop_next(struct dma_sg_block_iter *biter)
{
	return dma_sg_block_iter_next(biter) ? biter : NULL;
}

/**
 * dma_sg_for_each_block - iterate over a table in aligned fixed-size blocks
 * @table: the table.
 * @biter: a struct dma_sg_block_iter used as the cursor.
 * @pgsz: block size, a power of two.
 *
 * Yields, for each entry in turn, every @pgsz-aligned block that the entry
 * touches, the way rdma_for_each_block() does for a scatterlist.  Blocks
 * shared by two adjacent entries are yielded once for each entry.
 */
#define dma_sg_for_each_block(table, biter, pgsz)			\
	for (struct dma_sg_block_iter *__dsb =				\
		dma_sg_block_loop_start(&(biter), (table), (pgsz));	\
	     __dsb; __dsb = dma_sg_block_loop_next(__dsb))

#endif /* _LINUX_DMA_SG_H */
