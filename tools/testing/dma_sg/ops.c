// SPDX-License-Identifier: GPL-2.0
/*
 * Operation engine shared by the fuzzer and the harness: decode bytes as a
 * sequence of operations on four tables, run each on the library and on
 * the model, and compare after every step.
 *
 * Each operation starts with one byte: bits 0-2 the operation, bits 3-4
 * the table, bit 5 "fail an allocation during this operation", bit 6
 * "append in two contiguous parts", which on a merging table must build
 * the same table as one append of the whole range.  Values are
 * decoded with a bias towards the edges: the top of dma_addr_t, the end of
 * the last entry, powers of two and lengths near 2^63 and 2^64.  A short
 * input reads as zeroes, so every input is valid.
 */
#include <stdio.h>
#include <string.h>

#include "model.h"

#define NTABLES		4
#define MAX_OPS		512
#define DMA_BITS	(8 * (unsigned int)sizeof(dma_addr_t))
#define PHYS_BITS	(8 * (unsigned int)sizeof(phys_addr_t))
#define DMA_MAX		((u64)(dma_addr_t)~(dma_addr_t)0)
#define PHYS_MAX	((u64)(phys_addr_t)~(phys_addr_t)0)

struct slot {
	struct dma_sg_table t;
	struct table_info ti;
	struct model m;
	void *storage;
	unsigned int blk_shift;
	char name[16];
};

struct rd {
	const u8 *p;
	size_t n;
};

static u8 rd_u8(struct rd *r)
{
	if (!r->n)
		return 0;
	r->n--;
	return *r->p++;
}

static s64 rd_s8(struct rd *r)
{
	return (int8_t)rd_u8(r);
}

static u64 rd_bytes(struct rd *r, unsigned int n)
{
	u64 v = 0;

	for (unsigned int i = 0; i < n; i++)
		v |= (u64)rd_u8(r) << (8 * i);
	return v;
}

static u64 pow2(unsigned int shift)
{
	return shift < 64 ? 1ULL << shift : 0;
}

/* End of the last entry of @s, where a merging append would start. */
static u64 last_end(const struct slot *s)
{
	const struct model_ent *e = s->m.n ? &s->m.ents[s->m.n - 1] : NULL;

	return e ? e->addr + e->len : 0;
}

static dma_addr_t rd_addr(struct rd *r, const struct slot *s)
{
	u8 sel = rd_u8(r);

	switch (sel & 7) {
	case 0:
		return rd_bytes(r, 2) << 12;
	case 1:
		return DMA_MAX - rd_bytes(r, 2);
	case 2:
		return last_end(s);
	case 3:
		return last_end(s) + rd_s8(r);
	case 4:
		return pow2(rd_u8(r) % DMA_BITS) + rd_s8(r);
	case 5:
		return rd_bytes(r, 8);
	case 6:
		return DMA_MAX + 1 - pow2(rd_u8(r) % DMA_BITS);
	default:
		return (u64)rd_u8(r) << (rd_u8(r) % DMA_BITS);
	}
}

static u64 rd_len(struct rd *r, const struct slot *s, dma_addr_t addr)
{
	u8 sel = rd_u8(r);

	switch (sel & 7) {
	case 0:
		return rd_bytes(r, 2) + 1;
	case 1:
		return pow2(rd_u8(r) % 64);
	case 2:
		return (1ULL << 63) + rd_s8(r);
	case 3:	/* up to the top of the DMA address space, give or take */
		return (u64)(DMA_TOP - addr) + rd_s8(r);
	case 4:
		return U64_MAX - rd_u8(r);
	case 5:	/* up to the overflow of the table's total length */
		return U64_MAX - s->m.len + rd_s8(r);
	case 6:
		return rd_bytes(r, 8);
	default:
		return (u64)rd_u8(r) << 12;
	}
}

static u64 rd_max_seg(struct rd *r)
{
	u8 sel = rd_u8(r);

	switch (sel & 7) {
	case 0:
		return 0;
	case 1:
		return pow2(rd_u8(r) % 64);
	case 2:
		return pow2(rd_u8(r) % 65) - 1;
	case 3:
		return U64_MAX;
	case 4:
		return rd_bytes(r, 2);
	case 5:
		return rd_bytes(r, 8);
	case 6:
		return 65536;
	default:
		return U32_MAX;
	}
}

static u64 rd_mask(struct rd *r)
{
	u8 sel = rd_u8(r);

	switch (sel & 7) {
	case 4:
		return U64_MAX;
	case 5:
		return 0;
	case 6:
		return rd_bytes(r, 8);
	case 7:
		return U32_MAX;
	default:
		return pow2(rd_u8(r) % 65) - 1;
	}
}

/*
 * Where to cut a range of @len bytes in two, or 0 for not at all: only
 * on a merging table, without fault injection, and for a valid range.
 */
static u64 rd_cut(struct rd *r, const struct slot *s, u8 b, u64 len,
		  int want)
{
	u8 sel;
	u64 cut;

	if (!(b & 0x40) || (b & 0x20) || !s->m.merge || want || len < 2)
		return 0;
	sel = rd_u8(r);
	cut = sel & 1 ? len - 1 - rd_bytes(r, 2) : rd_bytes(r, 2) + 1;
	return cut && cut < len ? cut : len / 2;
}

static u64 expected_live(struct slot *slots)
{
	u64 live = 0;

	for (int i = 0; i < NTABLES; i++)
		live += table_chunks(&slots[i].ti, slots[i].m.n) -
			!!slots[i].ti.caller;
	return live;
}

static void check_slot(struct slot *slots, struct slot *s)
{
	check_table(s->name, &s->t, &s->ti, &s->m, s->blk_shift);
	EXPECT_EQ(shim_live, expected_live(slots), "live chunks");
}

/*
 * Finish a table operation: @next is the model after success, @want the
 * expected return value.  An injected failure must give -ENOMEM and leave
 * the table exactly as it was; anything else must match the model.
 */
static void finish(struct slot *slots, struct slot *s, struct model *next,
		   int want, int got, unsigned long failed_before,
		   const char *op)
{
	bool fired = shim_failed != failed_before;

	shim_fail_nth = 0;
	if (got == -ENOMEM && fired) {
		model_free(next);
	} else {
		if (fired)
			fail("%s on %s: allocation failed but returned %d\n",
			     op, s->name, got);
		if (got != want)
			fail("%s on %s: returned %d, expected %d\n", op,
			     s->name, got, want);
		if (!got) {
			model_free(&s->m);
			s->m = *next;
		} else {
			model_free(next);
		}
	}
	check_slot(slots, s);
}

static void slot_init(struct slot *s, u8 v)
{
	bool merge = !(v & 1);
	unsigned int flags = merge ? 0 : DMA_SG_NO_MERGE;
	unsigned int ents = (v >> 1) & 7;
	size_t bytes;

	/* Stray flag bits must be ignored. */
	if (v & 0x80)
		flags |= DMA_SG_CALLER_CHUNK | 0x100;
	model_init(&s->m, merge);
	s->ti.caller = NULL;
	s->ti.caller_ents = 0;
	s->storage = NULL;
	if (!ents) {
		dma_sg_table_init(&s->t, flags);
		return;
	}
	/* Exactly sized, so that ASan sees a write past the caller's chunk. */
	bytes = sizeof(struct dma_sg_chunk) + (ents - 1) * sizeof(struct dma_sg) +
		((v >> 4) & 7) * 2;
	s->storage = malloc(bytes);
	if (!s->storage)
		fail("out of memory\n");
	__dma_sg_table_init_chunk(&s->t, s->storage, bytes, flags);
	if (ents > 1) {
		s->ti.caller = s->storage;
		s->ti.caller_ents = (bytes - sizeof(struct dma_sg_chunk)) /
				    sizeof(struct dma_sg);
	}
}

static void slot_release(struct slot *s)
{
	dma_sg_table_free(&s->t);
	model_free(&s->m);
	free(s->storage);
	s->storage = NULL;
}

static void op_phys(struct rd *r)
{
	u8 sel = rd_u8(r), h = rd_u8(r);
	phys_addr_t paddr;
	u64 len;
	u32 bar;

	switch (sel & 3) {
	case 0:
		paddr = rd_bytes(r, 2) << 12;
		break;
	case 1:
		paddr = PHYS_MAX - rd_bytes(r, 2);
		break;
	case 2:
		paddr = pow2(rd_u8(r) % PHYS_BITS);
		break;
	default:
		paddr = rd_bytes(r, 8);
	}
	switch ((sel >> 2) & 3) {
	case 0:
		len = rd_bytes(r, 2);
		break;
	case 1:
		len = DMA_SG_PHYS_LEN_MAX + rd_s8(r);
		break;
	case 2:
		len = (u64)(PHYS_TOP - paddr) + rd_s8(r);
		break;
	default:
		len = rd_bytes(r, 8);
	}
	switch ((sel >> 4) & 3) {
	case 0:
		bar = 0;
		break;
	case 1:
		bar = rd_bytes(r, 2) & 4095;
		break;
	case 2:
		bar = DMA_SG_BAR_ID_MAX + rd_s8(r);
		break;
	default:
		bar = rd_bytes(r, 4);
	}
	check_phys(paddr, len, sel & 0x80 ? h : h & 3, bar);
}

int ops_run(const u8 *data, size_t size)
{
	struct rd rd = { data, size }, *r = &rd;
	struct slot slots[NTABLES];
	int i, nops;

	memset(slots, 0, sizeof(slots));
	for (i = 0; i < NTABLES; i++) {
		snprintf(slots[i].name, sizeof(slots[i].name), "t%d", i);
		slots[i].blk_shift = 12;
		/* t0 merges, t1 does not, t2/t3 the same on caller chunks */
		slot_init(&slots[i], (i & 1) | (i & 2 ? 3 << 1 : 0));
	}

	for (nops = 0; rd.n && nops < MAX_OPS; nops++) {
		u8 b = rd_u8(r);
		struct slot *s = &slots[(b >> 3) & 3];
		unsigned long before = shim_failed;
		unsigned int fail_nth = b & 0x20 ? 1 + (rd_u8(r) & 7) : 0;
		struct model next;
		dma_addr_t addr;
		u64 len, max_seg, mask, cut;
		int want, got = 0;

		switch (b & 7) {
		case 0:
			addr = rd_addr(r, s);
			len = rd_len(r, s, addr);
			model_copy(&next, &s->m);
			want = model_append(&next, addr, len);
			if (want == MODEL_SKIP) {
				model_free(&next);
				break;
			}
			cut = rd_cut(r, s, b, len, want);
			shim_fail_nth = fail_nth;
			if (cut) {
				got = dma_sg_append(&s->t, addr, cut,
						    GFP_NOWAIT);
				if (!got)
					got = dma_sg_append(&s->t, addr + cut,
							    len - cut,
							    GFP_NOWAIT);
			} else {
				got = dma_sg_append(&s->t, addr, len,
						    GFP_NOWAIT);
			}
			finish(slots, s, &next, want, got, before, "append");
			break;
		case 1:
		case 7:
			addr = rd_addr(r, s);
			len = rd_len(r, s, addr);
			if ((b & 7) == 1) {
				max_seg = rd_max_seg(r);
				mask = rd_mask(r);
			} else {	/* common dma_parms */
				u8 d = rd_u8(r);

				max_seg = d & 1 ? U32_MAX & ~0xfffULL : 65536;
				mask = d & 2 ? U32_MAX : U64_MAX;
			}
			model_copy(&next, &s->m);
			want = model_append_split(&next, addr, len, max_seg,
						  mask);
			if (want == MODEL_SKIP) {
				model_free(&next);
				break;
			}
			cut = rd_cut(r, s, b, len, want);
			shim_fail_nth = fail_nth;
			if (cut) {
				got = dma_sg_append_split(&s->t, addr, cut,
							  max_seg, mask,
							  GFP_NOWAIT);
				addr += cut;
				len -= cut;
			}
			if (!got || !cut)
				got = dma_sg_append_split(&s->t, addr, len,
							  max_seg, mask,
							  GFP_NOWAIT);
			finish(slots, s, &next, want, got, before, "split");
			break;
		case 2: {
			u8 sel = rd_u8(r);
			u64 n = sel & 1 ? s->m.n - (sel >> 1) % 4 :
				sel & 2 ? s->m.n + 1 :
				sel & 4 ? (u64)rd_u8(r) : s->m.n;

			model_copy(&next, &s->m);
			want = model_truncate(&next, n);
			shim_fail_nth = fail_nth;
			got = dma_sg_truncate(&s->t, n);
			finish(slots, s, &next, want, got, before, "truncate");
			break;
		}
		case 3:
			dma_sg_table_free(&s->t);
			model_truncate(&s->m, 0);
			check_slot(slots, s);
			break;
		case 4:
			s->blk_shift = rd_u8(r) % 64;
			check_slot(slots, s);
			break;
		case 5:
			op_phys(r);
			break;
		case 6:
			slot_release(s);
			slot_init(s, rd_u8(r));
			check_slot(slots, s);
			break;
		}
		shim_fail_nth = 0;
	}

	for (i = 0; i < NTABLES; i++)
		slot_release(&slots[i]);
	EXPECT_EQ(shim_live, 0, "chunks leaked");
	return nops;
}
