// SPDX-License-Identifier: GPL-2.0
/* Shapes of a device-memory exporter that fills entries by a helper. */
#include <linux/pci-p2pdma.h>

static int fill_entry(struct scatterlist *sg, u64 bar_addr, u64 len,
		      struct device *dev, enum dma_data_direction dir)
{
	dma_addr_t addr;
	int rc;

	addr = dma_map_resource(dev, bar_addr, len, dir,
				DMA_ATTR_SKIP_CPU_SYNC);
	rc = dma_mapping_error(dev, addr);
	if (rc)
		return rc;

	sg_set_page(sg, NULL, len, 0);
	sg_dma_address(sg) = addr;
	sg_dma_len(sg) = len;

	return 0;
}

static struct sg_table *build_sgt(struct qux_dev *qdev, u64 *pages, u64 npages,
				  struct device *dev,
				  enum dma_data_direction dir)
{
	struct scatterlist *sg;
	unsigned int nents, i;
	struct sg_table *sgt;
	int rc;

	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt)
		return ERR_PTR(-ENOMEM);

	nents = qux_count_runs(pages, npages);

	rc = sg_alloc_table(sgt, nents, GFP_KERNEL | __GFP_ZERO);
	if (rc)
		goto err_free_sgt;

	for_each_sgtable_dma_sg(sgt, sg, i) {
		rc = fill_entry(sg, qux_bar(qdev, pages, i),
				qux_run_len(pages, npages, i), dev, dir);
		if (rc)
			goto err_unmap;
	}

	if (qux_left(qdev)) {
		dev_err(qdev->dev, "%u entries do not cover the buffer\n",
			sgt->nents);
		rc = -ENOMEM;
		goto err_unmap;
	}

	/* No CPU list: let users notice by orig_nents. */
	sgt->orig_nents = 0;

	for_each_sgtable_dma_sg(sgt, sg, i)
		dev_dbg(qdev->dev, "entry %d: %#llx\n", i, sg_dma_address(sg));

	return sgt;

err_unmap:
	for_each_sgtable_dma_sg(sgt, sg, i) {
		if (!sg_dma_len(sg))
			continue;

		dma_unmap_resource(dev, sg_dma_address(sg), sg_dma_len(sg), dir,
				   DMA_ATTR_SKIP_CPU_SYNC);
	}

	sg_free_table(sgt);

err_free_sgt:
	kfree(sgt);
	return ERR_PTR(rc);
}

static struct sg_table *qux_map_dmabuf(struct dma_buf_attachment *attach,
				       enum dma_data_direction dir)
{
	struct qux_buf *buf = attach->dmabuf->priv;
	struct sg_table *sgt;

	if (!attach->peer2peer)
		return ERR_PTR(-EPERM);

	sgt = build_sgt(buf->qdev, buf->pages, buf->npages, attach->dev, dir);
	if (IS_ERR(sgt))
		dev_err(buf->qdev->dev, "map failed (%ld)\n", PTR_ERR(sgt));

	return sgt;
}

static void qux_unmap_dmabuf(struct dma_buf_attachment *attach,
			     struct sg_table *sgt,
			     enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;

	for_each_sgtable_dma_sg(sgt, sg, i)
		dma_unmap_resource(attach->dev, sg_dma_address(sg),
				   sg_dma_len(sg), dir, DMA_ATTR_SKIP_CPU_SYNC);

	sgt->orig_nents = sgt->nents;
	sg_free_table(sgt);
	kfree(sgt);
}

static const struct dma_buf_ops qux_dmabuf_ops = {
	.attach = qux_dmabuf_attach,
	.map_dma_buf = qux_map_dmabuf,
	.unmap_dma_buf = qux_unmap_dmabuf,
	.release = qux_release_dmabuf,
};

/* Left alone: a helper of this shape whose table is built elsewhere. */
static int other_fill(struct scatterlist *sg, u64 bar_addr, u64 len,
		      struct device *dev, enum dma_data_direction dir)
{
	dma_addr_t addr;

	addr = dma_map_resource(dev, bar_addr, len, dir, 0);
	if (dma_mapping_error(dev, addr))
		return -ENOMEM;
	sg_set_page(sg, NULL, len, 0);
	sg_dma_address(sg) = addr;
	return 0;
}
