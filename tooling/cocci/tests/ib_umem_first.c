// SPDX-License-Identifier: GPL-2.0
/* Shapes of 6.12 RDMA drivers that read the first entry of a umem. */

/* mlx4/mlx5 doorbells: through a pointer to a struct holding the umem. */
static void db_map(struct db_page *page, struct db *db, unsigned long virt)
{
	db->dma = sg_dma_address(page->umem->sgt_append.sgt.sgl) +
		  (virt & ~PAGE_MASK);
}

/* hns: the DMA address and the kernel mapping of the first page. */
static void hns_db(struct page_rec *page, struct hns_db *db, int offset)
{
	db->dma = sg_dma_address(page->umem->sgt_append.sgt.sgl) + offset;
	db->virt_addr = sg_virt(page->umem->sgt_append.sgt.sgl) + offset;
}

/* irdma: the first page, through the umem pointer itself. */
static void irdma_first(struct ib_umem *region, struct pbl *iwpbl)
{
	iwpbl->sq_page = sg_page(region->sgt_append.sgt.sgl);
}

/* qedr: through a local scatterlist pointer, which then goes away. */
static int qedr_prod(struct qedr_srq *srq)
{
	struct scatterlist *sg;
	int x = 0;

	sg = srq->prod_umem->sgt_append.sgt.sgl;
	srq->hw_srq.phy_prod_pair_addr = sg_dma_address(sg);

	return x;
}

/* A local that is used again afterwards stays. */
static int keep_local(struct ib_umem *umem)
{
	struct scatterlist *sg;

	sg = umem->sgt_append.sgt.sgl;
	return sg_dma_len(sg);
}

/* Not a umem: an unrelated scatterlist is left alone. */
static dma_addr_t other(struct sg_table *sgt)
{
	return sg_dma_address(sgt->sgl);
}

/* A local read for more than its address keeps its assignment. */
static int mixed_local(struct ib_umem *umem, dma_addr_t *addr)
{
	struct scatterlist *sg;

	sg = umem->sgt_append.sgt.sgl;
	*addr = sg_dma_address(sg);
	return sg_dma_len(sg);
}
