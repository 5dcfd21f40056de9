// SPDX-License-Identifier: GPL-2.0
/* Shapes of dma-buf importers that keep their mapping in a field. */
#include <linux/dma-buf.h>
#include <linux/genalloc.h>

struct rx_binding {
	struct dma_buf_attachment *attachment;
	struct sg_table *sgt;
	struct gen_pool *pool;
};

/* Read only for DMA addresses and lengths: converted. */
static int rx_bind(struct rx_binding *b)
{
	struct scatterlist *sg;
	unsigned int idx, n;
	int err;

	b->sgt = dma_buf_map_attachment_unlocked(b->attachment,
						 DMA_FROM_DEVICE);
	if (IS_ERR(b->sgt))
		return PTR_ERR(b->sgt);

	n = 0;
	for_each_sgtable_dma_sg(b->sgt, sg, idx) {
		dma_addr_t addr = sg_dma_address(sg);
		size_t len = sg_dma_len(sg);

		err = gen_pool_add(b->pool, addr, len, -1);
		if (err)
			goto err_unmap;
		n++;
	}
	return n;

err_unmap:
	dma_buf_unmap_attachment_unlocked(b->attachment, b->sgt,
					  DMA_FROM_DEVICE);
	return err;
}

static void rx_unbind(struct rx_binding *b)
{
	dma_buf_unmap_attachment_unlocked(b->attachment, b->sgt,
					  DMA_FROM_DEVICE);
}

struct tx_buf {
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;
	void *vaddr;
};

/* The first segment's page is read too: left alone. */
static int tx_map(struct tx_buf *t)
{
	t->sgt = dma_buf_map_attachment(t->attach, DMA_TO_DEVICE);
	if (IS_ERR(t->sgt))
		return PTR_ERR(t->sgt);
	t->vaddr = page_address(sg_page(t->sgt->sgl));
	return 0;
}

struct ring {
	struct dma_buf_attachment *attach;
	struct sg_table *table;
};

/* The walk reads a segment's CPU length: left alone. */
static u64 ring_map(struct ring *r)
{
	struct scatterlist *s;
	u64 total = 0;
	int i;

	r->table = dma_buf_map_attachment(r->attach, DMA_BIDIRECTIONAL);
	if (IS_ERR(r->table))
		return 0;
	for_each_sgtable_dma_sg(r->table, s, i)
		total += sg_dma_len(s) + s->length;
	return total;
}

struct rx_small {
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;
	u64 total;
};

/* A walk of one statement: converted. */
static int rx_small_map(struct rx_small *r)
{
	struct scatterlist *sg;
	unsigned int i;

	r->sgt = dma_buf_map_attachment(r->attach, DMA_TO_DEVICE);
	if (IS_ERR(r->sgt))
		return PTR_ERR(r->sgt);
	for_each_sgtable_dma_sg(r->sgt, sg, i)
		r->total += sg_dma_len(sg);
	return 0;
}

struct rx_count {
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;
};

/* The index is read after the walk: left alone. */
static int rx_count_map(struct rx_count *r)
{
	struct scatterlist *sg;
	int i;

	r->sgt = dma_buf_map_attachment(r->attach, DMA_BIDIRECTIONAL);
	if (IS_ERR(r->sgt))
		return PTR_ERR(r->sgt);
	for_each_sgtable_dma_sg(r->sgt, sg, i)
		rx_count_add(sg_dma_address(sg), sg_dma_len(sg));
	return i;
}
