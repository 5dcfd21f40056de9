// SPDX-License-Identifier: GPL-2.0
/*
 * The KUnit suite of lib/dma_sg, and an operation engine that drives its
 * model with bytes: the fuzzer's input, the harness's random inputs and
 * the saved corpus.
 *
 * An input is a sequence of operations on four tables.  Each starts with
 * one byte: bits 0-2 the operation, bits 3-4 the table, bit 5 "fail an
 * allocation during this operation" (the n-th, n in the next byte), bit 6
 * "append in two contiguous parts", which on a merging table must build
 * the same table as one append of the whole range.  A field is a selector
 * byte and as many bytes as the tables below give for it; its value leans
 * towards the edges: the top of dma_addr_t, the end of the last entry,
 * powers of two and lengths near 2^63 and 2^64.  A short input reads as
 * zeroes, so every input is valid.  ops_write_seeds() writes inputs in
 * the same format.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../../lib/dma_sg/dma_sg_kunit.c"
#include "ops.h"

#define NTABLES		4
#define MAX_OPS		512
/* Larger tables are not built: checks stay cheap and runs fast. */
#define MAX_ENTS	1024
/* Blocks walked per check at most; larger blocks are walked instead. */
#define MAX_BLOCKS	512
#define DMA_BITS	(8 * (unsigned int)sizeof(dma_addr_t))
#define PHYS_BITS	(8 * (unsigned int)sizeof(phys_addr_t))

enum op {
	OP_APPEND, OP_SPLIT, OP_TRUNCATE, OP_FREE, OP_BLOCKS, OP_PHYS,
	OP_REINIT, OP_DEV_SPLIT,
};

#define OP_FAIL		0x20
#define OP_CUT		0x40

enum addr_sel {
	A_PAGE, A_TOP, A_END, A_END_OFF, A_POW2, A_RAW, A_TOP_POW2, A_SHIFT,
};

enum len_sel {
	L_SMALL, L_POW2, L_2_63, L_TO_TOP, L_MAX, L_TO_TOTAL, L_RAW, L_PAGES,
};

enum seg_sel { S_ZERO, S_POW2, S_POW2_M1, S_MAX, S_U16, S_RAW, S_64K, S_U32 };

enum mask_sel { M_POW2_M1, M_ALL = 4, M_ZERO, M_RAW, M_U32 };

/* Bytes after each selector: the format, for decoder and encoder alike. */
static const u8 addr_bytes[8] = { 2, 2, 0, 1, 2, 8, 1, 2 };
static const u8 len_bytes[8] = { 2, 1, 1, 1, 1, 1, 8, 1 };
static const u8 seg_bytes[8] = { 0, 1, 1, 0, 2, 8, 0, 0 };
static const u8 mask_bytes[8] = { 1, 1, 1, 1, 0, 0, 8, 0 };
/* Truncation: only selector 4 carries an entry count. */
static const u8 trunc_bytes[8] = { 0, 0, 0, 0, 1, 0, 0, 0 };
/* struct dma_sg_phys fields, by two bits of the selector each. */
static const u8 paddr_bytes[4] = { 2, 2, 1, 8 };
static const u8 plen_bytes[4] = { 2, 1, 1, 8 };
static const u8 bar_bytes[4] = { 0, 2, 1, 4 };

struct slot {
	struct dma_sg_table t;
	struct model m;
	struct model next;
	void *storage;
	u32 caller_ents;
	bool merge;
	unsigned int blk_shift;
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

static u64 rd_bytes(struct rd *r, unsigned int n)
{
	u64 v = 0;

	for (unsigned int i = 0; i < n; i++)
		v |= (u64)rd_u8(r) << (8 * i);
	return v;
}

/* A selector, and its value in @v. */
static u8 rd_field(struct rd *r, const u8 *bytes, unsigned int mask, u64 *v)
{
	u8 sel = rd_u8(r);

	*v = rd_bytes(r, bytes[sel & mask]);
	return sel;
}

static u64 pow2(unsigned int shift)
{
	return shift < 64 ? 1ULL << shift : 0;
}

/* Low byte, and the signed high byte, of a two-byte value. */
#define LO(v)	((u8)(v))
#define HI(v)	((s64)(s8)((v) >> 8))

/* End of the last entry, where a merging append would start. */
static u64 last_end(const struct slot *s)
{
	const struct dma_sg *e = model_last((struct model *)&s->m);

	return e ? (u64)e->addr + e->len : 0;
}

static dma_addr_t rd_addr(struct rd *r, const struct slot *s)
{
	u64 v;

	switch (rd_field(r, addr_bytes, 7, &v) & 7) {
	case A_PAGE:
		return v << 12;
	case A_TOP:
		return ADDR_MAX - v;
	case A_END:
		return last_end(s);
	case A_END_OFF:
		return last_end(s) + (s8)v;
	case A_POW2:
		return pow2(LO(v) % DMA_BITS) + HI(v);
	case A_RAW:
		return v;
	case A_TOP_POW2:
		return (u64)ADDR_MAX + 1 - pow2(v % DMA_BITS);
	default:
		return (u64)LO(v) << ((v >> 8) % DMA_BITS);
	}
}

static u64 rd_len(struct rd *r, const struct slot *s, dma_addr_t addr)
{
	u64 v;

	switch (rd_field(r, len_bytes, 7, &v) & 7) {
	case L_SMALL:
		return v + 1;
	case L_POW2:
		return pow2(v % 64);
	case L_2_63:
		return (1ULL << 63) + (s8)v;
	case L_TO_TOP:	/* up to the top of the address space, give or take */
		return (u64)ADDR_MAX - addr + 1 + (s8)v;
	case L_MAX:
		return U64_MAX - v;
	case L_TO_TOTAL:	/* up to the overflow of the table's length */
		return U64_MAX - s->m.len + (s8)v;
	case L_RAW:
		return v;
	default:
		return v << 12;
	}
}

static u64 rd_max_seg(struct rd *r)
{
	u64 v;

	switch (rd_field(r, seg_bytes, 7, &v) & 7) {
	case S_ZERO:
		return 0;
	case S_POW2:
		return pow2(v % 64);
	case S_POW2_M1:
		return pow2(v % 65) - 1;
	case S_MAX:
		return U64_MAX;
	case S_U16:
	case S_RAW:
		return v;
	case S_64K:
		return SZ_64K;
	default:
		return U32_MAX;
	}
}

static u64 rd_mask(struct rd *r)
{
	u64 v;

	switch (rd_field(r, mask_bytes, 7, &v) & 7) {
	case M_ALL:
		return U64_MAX;
	case M_ZERO:
		return 0;
	case M_RAW:
		return v;
	case M_U32:
		return U32_MAX;
	default:
		return pow2(v % 65) - 1;
	}
}

/*
 * Where to cut a range of @len bytes in two, or 0 for not at all: only
 * on a merging table, without fault injection, and for a valid range.
 */
static u64 rd_cut(struct rd *r, const struct slot *s, u8 b, u64 len,
		  int want)
{
	u64 cut;
	u8 sel;

	if (!(b & OP_CUT) || (b & OP_FAIL) || !s->merge || want || len < 2)
		return 0;
	sel = rd_u8(r);
	cut = rd_bytes(r, 2);
	cut = sel & 1 ? len - 1 - cut : cut + 1;
	return cut && cut < len ? cut : len / 2;
}

static void model_copy(struct model *dst, const struct model *src)
{
	memcpy(dst->ents, src->ents, src->nents * sizeof(*src->ents));
	dst->nents = src->nents;
	dst->len = src->len;
}

/* The smallest block size from 2^@shift whose walk is cheap. */
static unsigned int block_shift(const struct model *m, unsigned int shift)
{
	for (; shift < 63; shift++) {
		u64 i, blocks = 0;

		for (i = 0; i < m->nents && blocks <= MAX_BLOCKS; i++) {
			u64 a = m->ents[i].addr, l = m->ents[i].len;

			blocks += ((a + l - 1) >> shift) - (a >> shift) + 1;
		}
		if (blocks <= MAX_BLOCKS)
			break;
	}
	return shift;
}

static void check_slot(struct kunit *test, struct slot *slots, struct slot *s)
{
	u64 live = 0;
	int i;

	expect_model(test, &s->t, &s->m);
	KUNIT_ASSERT_EQ(test, !(s->t.flags & DMA_SG_NO_MERGE), s->merge);
	KUNIT_ASSERT_EQ(test, !!(s->t.flags & DMA_SG_CALLER_CHUNK),
			!!s->caller_ents);
	if (s->caller_ents) {
		KUNIT_ASSERT_PTR_EQ(test, s->t.first, s->storage);
		KUNIT_ASSERT_EQ(test, s->t.first->max_ents, s->caller_ents);
	}
	expect_blocks(test, &s->t, 1ULL << block_shift(&s->m, s->blk_shift));
	for (i = 0; i < NTABLES; i++)
		live += chunks_for(slots[i].m.nents, slots[i].caller_ents);
	KUNIT_ASSERT_EQ(test, counts(test)->live, live);
}

/* The shim's fault injection needs no knobs: zeroed is initialised. */
static struct kunit_fail_nth ops_fail;

/*
 * Finish a table operation: @s->next is the model after success, @want
 * the expected return value.  An injected failure must give -ENOMEM and
 * leave the table as it was; anything else must match the model.
 */
static void finish(struct kunit *test, struct slot *slots, struct slot *s,
		   int want, int got, unsigned int fail_nth)
{
	bool fired = !kunit_fail_nth_disarm(&ops_fail) && fail_nth;

	if (!fired || got != -ENOMEM) {
		KUNIT_ASSERT_EQ_MSG(test, fired, false, "returned %d", got);
		KUNIT_ASSERT_EQ(test, got, want);
		if (!got) {
			struct model m = s->m;

			s->m = s->next;
			s->next = m;
		}
	}
	check_slot(test, slots, s);
}

static void slot_init(struct slot *s, u8 v)
{
	unsigned int flags = v & 1 ? DMA_SG_NO_MERGE : 0;
	unsigned int ents = (v >> 1) & 7;
	size_t bytes;

	/* Stray flag bits must be ignored. */
	if (v & 0x80)
		flags |= DMA_SG_CALLER_CHUNK | 0x100;
	model_truncate(&s->m, 0);
	s->merge = !(v & 1);
	s->caller_ents = 0;
	s->storage = NULL;
	if (!ents) {
		dma_sg_table_init(&s->t, flags);
		return;
	}
	/* Exactly sized, so that ASan sees a write past the caller's chunk. */
	bytes = struct_size_t(struct dma_sg_chunk, ents, ents - 1) +
		((v >> 4) & 7) * 2;
	s->storage = malloc(bytes);
	if (!s->storage)
		abort();
	__dma_sg_table_init_chunk(&s->t, s->storage, bytes, flags);
	if (ents > 1)
		s->caller_ents = (bytes - sizeof(struct dma_sg_chunk)) /
				 sizeof(struct dma_sg);
}

static void slot_release(struct slot *s)
{
	dma_sg_table_free(&s->t);
	free(s->storage);
	s->storage = NULL;
}

static void slots_release(void *slots)
{
	for (int i = 0; i < NTABLES; i++)
		slot_release((struct slot *)slots + i);
}

static void op_phys(struct kunit *test, struct rd *r)
{
	u8 sel = rd_u8(r), h = rd_u8(r);
	u64 a = rd_bytes(r, paddr_bytes[sel & 3]);
	u64 l = rd_bytes(r, plen_bytes[(sel >> 2) & 3]);
	u64 b = rd_bytes(r, bar_bytes[(sel >> 4) & 3]);
	phys_addr_t paddr;
	u64 len;
	u32 bar;

	switch (sel & 3) {
	case 0:
		paddr = a << 12;
		break;
	case 1:
		paddr = PHYS_MAX - a;
		break;
	case 2:
		paddr = pow2(a % PHYS_BITS);
		break;
	default:
		paddr = a;
	}
	switch ((sel >> 2) & 3) {
	case 0:
	case 3:
		len = l;
		break;
	case 1:
		len = DMA_SG_PHYS_LEN_MAX + (s8)l;
		break;
	default:
		len = (u64)PHYS_MAX - paddr + 1 + (s8)l;
	}
	switch ((sel >> 4) & 3) {
	case 0:
		bar = 0;
		break;
	case 1:
		bar = b & 4095;
		break;
	case 2:
		bar = DMA_SG_BAR_ID_MAX + (s8)b;
		break;
	default:
		bar = b;
	}
	expect_phys(test, paddr, len, sel & 0x80 ? h : h & 3, bar);
}

/* Append, whole or in two parts, and check. */
static void op_append(struct kunit *test, struct slot *slots, struct slot *s,
		      struct rd *r, u8 b, unsigned int fail_nth)
{
	dma_addr_t addr = rd_addr(r, s);
	u64 len = rd_len(r, s, addr), cut;
	int want, got;

	model_copy(&s->next, &s->m);
	want = model_append(&s->next, addr, len, s->merge);
	if (want == -ENOSPC)
		return;
	cut = rd_cut(r, s, b, len, want);
	kunit_fail_nth_arm(&ops_fail, fail_nth);
	if (cut) {
		got = dma_sg_append(&s->t, addr, cut, NOWAIT);
		if (!got)
			got = dma_sg_append(&s->t, addr + cut, len - cut, NOWAIT);
	} else {
		got = dma_sg_append(&s->t, addr, len, NOWAIT);
	}
	finish(test, slots, s, want, got, fail_nth);
}

/* Split append with fuzzed limits, or with common dma_parms. */
static void op_split(struct kunit *test, struct slot *slots, struct slot *s,
		     struct rd *r, u8 b, unsigned int fail_nth)
{
	dma_addr_t addr = rd_addr(r, s);
	u64 len = rd_len(r, s, addr), max_seg, mask, cut;
	int want, got = 0;

	if ((b & 7) == OP_SPLIT) {
		max_seg = rd_max_seg(r);
		mask = rd_mask(r);
	} else {
		u8 d = rd_u8(r);

		max_seg = d & 1 ? U32_MAX & ~0xfffULL : SZ_64K;
		mask = d & 2 ? U32_MAX : U64_MAX;
	}
	model_copy(&s->next, &s->m);
	want = model_split(&s->next, addr, len, max_seg, mask, s->merge);
	if (want == -ENOSPC)
		return;
	cut = rd_cut(r, s, b, len, want);
	kunit_fail_nth_arm(&ops_fail, fail_nth);
	if (cut) {
		got = dma_sg_append_split(&s->t, addr, cut, max_seg, mask,
					  NOWAIT);
		addr += cut;
		len -= cut;
	}
	if (!got || !cut)
		got = dma_sg_append_split(&s->t, addr, len, max_seg, mask,
					  NOWAIT);
	finish(test, slots, s, want, got, fail_nth);
}

static void op_truncate(struct kunit *test, struct slot *slots,
			struct slot *s, struct rd *r, unsigned int fail_nth)
{
	u8 sel = rd_u8(r);
	u64 v = rd_bytes(r, trunc_bytes[sel & 7]);
	u64 n = sel & 1 ? s->m.nents - (sel >> 1) % 4 :
		sel & 2 ? s->m.nents + 1 : sel & 4 ? v : s->m.nents;
	int want = n > s->m.nents ? -EINVAL : 0;

	model_copy(&s->next, &s->m);
	if (!want)
		model_truncate(&s->next, n);
	kunit_fail_nth_arm(&ops_fail, fail_nth);
	finish(test, slots, s, want, dma_sg_truncate(&s->t, n), fail_nth);
}

static void ops_case(struct kunit *test)
{
	const struct ops_input *in = test->param_value;
	struct rd rd = { in->data, in->size }, *r = &rd;
	struct slot *slots;
	int i, ret;

	slots = kunit_kzalloc(test, NTABLES * sizeof(*slots), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, slots);
	counts(test)->many_tables = true;
	for (i = 0; i < NTABLES; i++) {
		model_init(test, &slots[i].m, MAX_ENTS);
		model_init(test, &slots[i].next, MAX_ENTS);
		slots[i].blk_shift = 12;
		/* t0 merges, t1 does not, t2/t3 the same on caller chunks */
		slot_init(&slots[i], (i & 1) | (i & 2 ? 3 << 1 : 0));
	}
	ret = kunit_add_action_or_reset(test, slots_release, slots);
	KUNIT_ASSERT_EQ(test, ret, 0);

	for (*in->ops = 0; rd.n && *in->ops < MAX_OPS; ++*in->ops) {
		u8 b = rd_u8(r);
		struct slot *s = &slots[(b >> 3) & 3];
		unsigned int fail_nth = b & OP_FAIL ? 1 + (rd_u8(r) & 7) : 0;

		switch (b & 7) {
		case OP_APPEND:
			op_append(test, slots, s, r, b, fail_nth);
			break;
		case OP_SPLIT:
		case OP_DEV_SPLIT:
			op_split(test, slots, s, r, b, fail_nth);
			break;
		case OP_TRUNCATE:
			op_truncate(test, slots, s, r, fail_nth);
			break;
		case OP_FREE:
			dma_sg_table_free(&s->t);
			model_truncate(&s->m, 0);
			check_slot(test, slots, s);
			break;
		case OP_BLOCKS:
			s->blk_shift = rd_u8(r) % 64;
			check_slot(test, slots, s);
			break;
		case OP_PHYS:
			op_phys(test, r);
			break;
		case OP_REINIT:
			slot_release(s);
			slot_init(s, rd_u8(r));
			check_slot(test, slots, s);
			break;
		}
		kunit_fail_nth_disarm(&ops_fail);
	}
	kunit_release_action(test, slots_release, slots);
	KUNIT_EXPECT_EQ(test, counts(test)->live, 0);
}

int ops_run(const u8 *data, size_t size, const char *name)
{
	struct kunit_case kcase = { .run_case = ops_case, .name = name };
	unsigned int ops = 0;
	struct ops_input in = { data, size, &ops };

	if (kunit_shim_run_case(kunit_shim_suite, &kcase, &in) != KUNIT_SUCCESS)
		return -1;
	return ops;
}

/* Seeds: fields as the decoder reads them, written out by write_seed(). */
struct tok {
	const u8 *bytes;	/* payload size by selector; NULL: raw */
	u8 sel;
	u64 v;
	u8 raw;			/* raw bytes of v */
};

#define OP(op, t)	{ NULL, 0, (op) | (t) << 3, 1 }
#define ADDR(sel, v)	{ addr_bytes, sel, v }
#define LEN(sel, v)	{ len_bytes, sel, v }
#define SEG(sel, v)	{ seg_bytes, sel, v }
#define MASK(sel, v)	{ mask_bytes, sel, v }
#define TRUNC(sel, v)	{ trunc_bytes, sel, v }
#define RAW(n, v)	{ NULL, 0, v, n }
#define BYTE(v)		RAW(1, v)
/* After an OP_FAIL operation: fail its n-th allocation */
#define NTH(n)		BYTE((n) - 1)

struct seed {
	const char *name;
	struct tok toks[64];
};

static const struct seed seeds[] = {
	{ "append-merge", {
		OP(OP_APPEND, 0), ADDR(A_PAGE, 1), LEN(L_SMALL, 4095),
		OP(OP_APPEND, 0), ADDR(A_END, 0), LEN(L_SMALL, 4095),
		OP(OP_APPEND, 1), ADDR(A_PAGE, 1), LEN(L_SMALL, 4095),
		OP(OP_APPEND, 1), ADDR(A_END, 0), LEN(L_SMALL, 4095) } },
	/* Five appends of 100 bytes, 16 apart, on each table. */
	{ "append-chain", {
		OP(OP_APPEND, 0), ADDR(A_END_OFF, 16), LEN(L_SMALL, 99),
		OP(OP_APPEND, 0), ADDR(A_END_OFF, 16), LEN(L_SMALL, 99),
		OP(OP_APPEND, 0), ADDR(A_END_OFF, 16), LEN(L_SMALL, 99),
		OP(OP_APPEND, 0), ADDR(A_END_OFF, 16), LEN(L_SMALL, 99),
		OP(OP_APPEND, 0), ADDR(A_END_OFF, 16), LEN(L_SMALL, 99),
		OP(OP_APPEND, 1), ADDR(A_END_OFF, 16), LEN(L_SMALL, 99),
		OP(OP_APPEND, 1), ADDR(A_END_OFF, 16), LEN(L_SMALL, 99),
		OP(OP_APPEND, 1), ADDR(A_END_OFF, 16), LEN(L_SMALL, 99),
		OP(OP_APPEND, 1), ADDR(A_END_OFF, 16), LEN(L_SMALL, 99),
		OP(OP_APPEND, 1), ADDR(A_END_OFF, 16), LEN(L_SMALL, 99),
		OP(OP_APPEND, 2), ADDR(A_END_OFF, 16), LEN(L_SMALL, 99),
		OP(OP_APPEND, 2), ADDR(A_END_OFF, 16), LEN(L_SMALL, 99),
		OP(OP_APPEND, 2), ADDR(A_END_OFF, 16), LEN(L_SMALL, 99),
		OP(OP_APPEND, 2), ADDR(A_END_OFF, 16), LEN(L_SMALL, 99),
		OP(OP_APPEND, 2), ADDR(A_END_OFF, 16), LEN(L_SMALL, 99),
		OP(OP_APPEND, 3), ADDR(A_END_OFF, 16), LEN(L_SMALL, 99),
		OP(OP_APPEND, 3), ADDR(A_END_OFF, 16), LEN(L_SMALL, 99),
		OP(OP_APPEND, 3), ADDR(A_END_OFF, 16), LEN(L_SMALL, 99),
		OP(OP_APPEND, 3), ADDR(A_END_OFF, 16), LEN(L_SMALL, 99),
		OP(OP_APPEND, 3), ADDR(A_END_OFF, 16), LEN(L_SMALL, 99) } },
	{ "append-top", {
		OP(OP_APPEND, 0), ADDR(A_TOP, 0xfff), LEN(L_SMALL, 4095),
		OP(OP_APPEND, 0), ADDR(A_PAGE, 0), LEN(L_SMALL, 4095),
		OP(OP_APPEND, 1), ADDR(A_TOP_POW2, 63), LEN(L_TO_TOP, 0) } },
	{ "append-2-63", {
		OP(OP_APPEND, 0), ADDR(A_PAGE, 0), LEN(L_2_63, 0),
		OP(OP_APPEND, 0), ADDR(A_END, 0), LEN(L_2_63, 0xff),
		OP(OP_APPEND, 0), ADDR(A_END, 0), LEN(L_TO_TOTAL, 1) } },
	{ "append-errors", {
		OP(OP_APPEND, 0), ADDR(A_PAGE, 3), LEN(L_PAGES, 0), BYTE(0),
		OP(OP_APPEND, 0), ADDR(A_TOP, 1), LEN(L_SMALL, 2),
		OP(OP_APPEND, 0), ADDR(A_PAGE, 0), LEN(L_MAX, 0),
		OP(OP_APPEND, 0), ADDR(A_PAGE, 0), LEN(L_MAX, 0) } },
	{ "split-maxseg", {
		OP(OP_SPLIT, 0), ADDR(A_PAGE, 0), LEN(L_SMALL, 39999),
		SEG(S_POW2, 12), MASK(M_POW2_M1, 64) } },
	{ "split-boundary", {
		OP(OP_SPLIT, 2), ADDR(A_PAGE, 15), LEN(L_SMALL, 65534),
		SEG(S_POW2, 63), MASK(M_POW2_M1, 16) } },
	{ "split-topup", {
		OP(OP_APPEND, 0), ADDR(A_PAGE, 1), LEN(L_SMALL, 99),
		OP(OP_SPLIT, 0), ADDR(A_END, 0), LEN(L_SMALL, 19999),
		SEG(S_POW2, 13), MASK(M_POW2_M1, 12) } },
	{ "split-invalid", {
		OP(OP_SPLIT, 0), ADDR(A_PAGE, 1), LEN(L_SMALL, 0),
		SEG(S_ZERO, 0), MASK(M_POW2_M1, 12),
		OP(OP_SPLIT, 0), ADDR(A_PAGE, 1), LEN(L_SMALL, 0),
		SEG(S_POW2, 3), MASK(M_ZERO, 0),
		OP(OP_SPLIT, 0), ADDR(A_PAGE, 1), LEN(L_SMALL, 0),
		SEG(S_POW2, 3), MASK(M_RAW, 0xff0) } },
	{ "split-huge", {
		OP(OP_SPLIT, 1), ADDR(A_TOP_POW2, 63), LEN(L_TO_TOP, 0),
		SEG(S_POW2, 62), MASK(M_POW2_M1, 64),
		OP(OP_SPLIT, 0), ADDR(A_RAW, 1ULL << 62), LEN(L_2_63, 0),
		SEG(S_RAW, (1ULL << 61) + 1), MASK(M_POW2_M1, 63) } },
	{ "split-dev", {
		OP(OP_DEV_SPLIT, 0), ADDR(A_RAW, (1ULL << 32) - (1ULL << 20)),
		LEN(L_POW2, 21), BYTE(3),
		OP(OP_DEV_SPLIT, 1), ADDR(A_PAGE, 7), LEN(L_POW2, 20),
		BYTE(0) } },
	{ "truncate", {
		OP(OP_APPEND, 1), ADDR(A_PAGE, 1), LEN(L_SMALL, 0),
		OP(OP_APPEND, 1), ADDR(A_PAGE, 3), LEN(L_SMALL, 0),
		OP(OP_APPEND, 1), ADDR(A_PAGE, 5), LEN(L_SMALL, 0),
		OP(OP_TRUNCATE, 1), TRUNC(3, 0), OP(OP_TRUNCATE, 1),
		TRUNC(2, 0), OP(OP_TRUNCATE, 1), TRUNC(4, 0) } },
	{ "free-reuse", {
		OP(OP_APPEND, 2), ADDR(A_PAGE, 1), LEN(L_SMALL, 0),
		OP(OP_APPEND, 2), ADDR(A_PAGE, 3), LEN(L_SMALL, 0),
		OP(OP_APPEND, 2), ADDR(A_PAGE, 5), LEN(L_SMALL, 0),
		OP(OP_FREE, 2), OP(OP_APPEND, 2), ADDR(A_PAGE, 9),
		LEN(L_SMALL, 8) } },
	{ "blocks", {
		OP(OP_APPEND, 1), ADDR(A_RAW, 0x1800), LEN(L_SMALL, 0xfff),
		OP(OP_APPEND, 1), ADDR(A_RAW, 0x2800), LEN(L_SMALL, 0xff),
		OP(OP_BLOCKS, 1), BYTE(12), OP(OP_BLOCKS, 1), BYTE(0),
		OP(OP_BLOCKS, 1), BYTE(63) } },
	/* Sized by hand, not by the tables: kept as first written. */
	{ "phys", {
		OP(OP_PHYS, 0), BYTE(0x15), BYTE(1), RAW(2, 1), RAW(2, 4096),
		RAW(2, 7), OP(OP_PHYS, 0), BYTE(0x25), BYTE(2), RAW(2, 0),
		BYTE(0), BYTE(0), OP(OP_PHYS, 0), BYTE(0xbf), BYTE(0xff),
		RAW(8, U64_MAX), RAW(8, 1ULL << 50), RAW(4, 4096) } },
	{ "reinit", {
		OP(OP_REINIT, 0), BYTE(0x0b), OP(OP_APPEND, 0),
		ADDR(A_PAGE, 1), LEN(L_SMALL, 0), OP(OP_APPEND, 0),
		ADDR(A_PAGE, 3), LEN(L_SMALL, 0), OP(OP_REINIT, 0),
		BYTE(0x82), OP(OP_APPEND, 0), ADDR(A_PAGE, 1),
		LEN(L_SMALL, 0) } },
	{ "fail-append", {
		OP(OP_APPEND | OP_FAIL, 0), NTH(1), ADDR(A_PAGE, 1),
		LEN(L_SMALL, 0),
		OP(OP_APPEND | OP_FAIL, 2), NTH(1), ADDR(A_PAGE, 1),
		LEN(L_SMALL, 0),
		OP(OP_APPEND | OP_FAIL, 2), NTH(1), ADDR(A_PAGE, 3),
		LEN(L_SMALL, 0),
		OP(OP_APPEND | OP_FAIL, 2), NTH(1), ADDR(A_PAGE, 5),
		LEN(L_SMALL, 0) } },
	{ "fail-split", {
		OP(OP_APPEND, 0), ADDR(A_PAGE, 1), LEN(L_SMALL, 99),
		OP(OP_SPLIT | OP_FAIL, 0), NTH(2), ADDR(A_END, 0),
		LEN(L_SMALL, 39999),
		SEG(S_POW2, 12), MASK(M_POW2_M1, 64),
		OP(OP_SPLIT | OP_FAIL, 0), NTH(3), ADDR(A_END, 0),
		LEN(L_SMALL, 39999),
		SEG(S_POW2, 12), MASK(M_POW2_M1, 12) } },
	/* An entry ending at the top of dma_addr_t merged with one at 0. */
	{ "regress-wrap-merge", {
		OP(OP_APPEND, 0), ADDR(A_END_OFF, 0x11), LEN(L_TO_TOP, 0),
		OP(OP_APPEND, 0) } },
};

/* Encode @seed into @buf; the number of bytes. */
static size_t encode(const struct seed *seed, u8 *buf)
{
	const struct tok *t;
	size_t n = 0;

	for (t = seed->toks; t->bytes || t->raw; t++) {
		unsigned int k = t->raw;

		if (t->bytes) {
			buf[n++] = t->sel;
			k = t->bytes[t->sel & 7];
		}
		for (unsigned int i = 0; i < k; i++)
			buf[n++] = t->v >> (8 * i);
	}
	return n;
}

int ops_write_seeds(const char *dir)
{
	char path[4096];
	u8 buf[512];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(seeds); i++) {
		size_t n = encode(&seeds[i], buf);
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, seeds[i].name);
		f = fopen(path, "wb");
		if (!f || fwrite(buf, 1, n, f) != n || fclose(f)) {
			perror(path);
			return -1;
		}
	}
	return i;
}
