// SPDX-License-Identifier: GPL-2.0
/* Shapes of dma-buf importers: what each does with the mapped sg_table. */

/* Reads only the DMA side, through a field: a dma_sg candidate. */
static int frob_bind(struct frob_binding *bd, struct frob_pool *pool)
{
	struct scatterlist *sg;
	unsigned int i;

	bd->table = dma_buf_map_attachment(bd->attach, DMA_FROM_DEVICE);
	if (IS_ERR(bd->table))
		return PTR_ERR(bd->table);

	for_each_sgtable_dma_sg(bd->table, sg, i)
		frob_pool_add(pool, sg_dma_address(sg), sg_dma_len(sg));
	return 0;
}

static void frob_unbind(struct frob_binding *bd)
{
	dma_buf_unmap_attachment(bd->attach, bd->table, DMA_FROM_DEVICE);
}

/* Reads the DMA side in a helper of this file, with the _unlocked call. */
static u64 frob_span(struct sg_table *sgt)
{
	return drm_prime_get_contiguous_size(sgt);
}

static int frob_pin(struct frob_buf *buf)
{
	struct sg_table *sgt;

	sgt = dma_buf_map_attachment_unlocked(buf->attach, buf->dir);
	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	if (frob_span(sgt) < buf->size) {
		dma_buf_unmap_attachment_unlocked(buf->attach, sgt, buf->dir);
		return -EINVAL;
	}
	buf->addr = sg_dma_address(sgt->sgl);
	return 0;
}

/* Reads the CPU side: the pages. */
static int frob_get_pages(struct frob_obj *obj, struct page **pages)
{
	struct sg_table *sgt = dma_buf_map_attachment(obj->attach,
						      DMA_BIDIRECTIONAL);

	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	drm_prime_sg_to_page_array(sgt, pages, obj->npages);
	obj->sgt = sgt;
	return 0;
}

/* Reads the CPU side in another function, through the field. */
static void *frob_vaddr(struct frob_obj *obj)
{
	return sg_virt(obj->sgt->sgl);
}

/* Hands the scatterlist to dmaengine, from another function. */
static int frob_dma_attach(struct frob_chan *fc, struct dma_buf_attachment *at)
{
	struct sg_table *sgt;

	sgt = dma_buf_map_attachment(at, DMA_TO_DEVICE);
	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	fc->xfer_sgt = sgt;
	return 0;
}

static int frob_dma_submit(struct frob_chan *fc)
{
	struct dma_async_tx_descriptor *tx;

	tx = dmaengine_prep_slave_sg(fc->chan, fc->xfer_sgt->sgl,
				     fc->xfer_sgt->nents, DMA_MEM_TO_DEV, 0);
	if (!tx)
		return -ENOMEM;
	return dma_submit_error(dmaengine_submit(tx));
}

/* Hands the scatterlist to a usb_request. */
static int frob_usb_queue(struct frob_ep *ep, struct usb_request *req)
{
	struct sg_table *sgt;

	sgt = dma_buf_map_attachment_unlocked(ep->attach, DMA_TO_DEVICE);
	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	req->sg = sgt->sgl;
	req->num_sgs = sgt->nents;
	return usb_ep_queue(ep->ep, req, GFP_KERNEL);
}

/* Hands the table to a driver callback. */
static struct frob_gem *frob_import(struct frob_dev *fd,
				    struct dma_buf_attachment *at)
{
	struct sg_table *sgt;

	sgt = dma_buf_map_attachment_unlocked(at, DMA_BIDIRECTIONAL);
	if (IS_ERR(sgt))
		return ERR_CAST(sgt);
	return fd->ops->import_sg_table(fd, at, sgt);
}

/* Hands the table to its caller. */
static struct sg_table *frob_map(struct frob_obj *obj)
{
	struct sg_table *sgt;

	sgt = dma_buf_map_attachment(obj->attach, DMA_BIDIRECTIONAL);
	if (IS_ERR(sgt))
		frob_err(obj, PTR_ERR(sgt));
	return sgt;
}

/* Keeps the table in a field that no function of this file reads. */
static int frob_keep(struct frob_ctx *ctx)
{
	ctx->mapped = dma_buf_map_attachment_unlocked(ctx->attach,
						      DMA_FROM_DEVICE);
	return PTR_ERR_OR_ZERO(ctx->mapped);
}
