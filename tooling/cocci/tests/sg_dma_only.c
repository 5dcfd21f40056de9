// SPDX-License-Identifier: GPL-2.0
/* Shapes of scatterlist users: listed when only the DMA side is used. */

/* A VRAM exporter: entries with no page, mapped with dma_map_resource(). */
static struct sg_table *vram_alloc_sgt(struct device *dev, u64 len)
{
	struct sg_table *sgt;
	struct scatterlist *sg;
	int i;

	for_each_sgtable_sg(sgt, sg, i) {
		sg_set_page(sg, NULL, len, 0);
		sg_dma_address(sg) = dma_map_resource(dev, 0, len, 0, 0);
		sg_dma_len(sg) = len;
	}
	return sgt;
}

/* An importer that fills a device page table from DMA addresses. */
static void importer_walk(struct sg_table *sgt, u64 *pas)
{
	struct scatterlist *sg;
	int i, k = 0;

	for_each_sgtable_dma_sg(sgt, sg, i)
		pas[k++] = sg_dma_address(sg) + sg_dma_len(sg);
}

/* A parameter, in a loop of its own. */
static u64 first_addr(struct scatterlist *sg)
{
	return sg_dma_address(sg);
}

/* The CPU side is read too: not listed. */
static void cpu_user(struct sg_table *sgt)
{
	struct scatterlist *sg;
	int i;

	for_each_sgtable_sg(sgt, sg, i) {
		memset(sg_virt(sg), 0, sg->length);
		use(sg_dma_address(sg));
	}
}

/* Pages go in: not listed. */
static void page_builder(struct scatterlist *sg, struct page *page)
{
	sg_set_page(sg, page, PAGE_SIZE, 0);
	use(sg_page(sg));
}

/* amdgpu's shape: no page, the raw field, and the CPU length read back. */
static int vram_fill(struct device *dev, struct sg_table *sgt, u64 size)
{
	struct scatterlist *sg;
	int i;

	for_each_sgtable_sg(sgt, sg, i)
		sg_set_page(sg, NULL, size, 0);
	for_each_sgtable_sg(sgt, sg, i) {
		sg->dma_address = dma_map_resource(dev, 0, sg->length, 0, 0);
		sg_dma_len(sg) = sg->length;
	}
	return 0;
}
