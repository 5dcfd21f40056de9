// SPDX-License-Identifier: GPL-2.0
/* Shapes of 6.12 RDMA drivers that walk a umem's scatterlist. */

/* rdmavt: for_each_sgtable_page() over the umem's pages. */
static int rvt_pages(struct rvt_mr *mr, struct ib_umem *umem)
{
	struct sg_page_iter sg_iter;
	int n = 0;

	for_each_sgtable_page (&umem->sgt_append.sgt, &sg_iter, 0) {
		void *vaddr;

		vaddr = page_address(sg_page_iter_page(&sg_iter));
		if (!vaddr)
			return -EINVAL;
		mr->segs[n++].vaddr = vaddr;
	}
	return 0;
}

/* siw: the page iterator started by hand, through a local sg_table. */
static int siw_pages(struct siw_umem *umem, struct ib_umem *base_mem,
		     int num_pages)
{
	struct sg_page_iter sg_iter;
	struct sg_table *sgt;
	int i = 0;

	sgt = &base_mem->sgt_append.sgt;
	__sg_page_iter_start(&sg_iter, sgt->sgl, sgt->orig_nents, 0);

	if (!__sg_page_iter_next(&sg_iter))
		return -EINVAL;
	while (num_pages--) {
		umem->plist[i++] = sg_page_iter_page(&sg_iter);
		if (!__sg_page_iter_next(&sg_iter))
			break;
	}
	return 0;
}

/* rxe: a static helper takes the umem's sg_table as a parameter. */
static int rxe_fill_from_sgt(struct rxe_mr *mr, struct sg_table *sgt)
{
	struct sg_page_iter sg_iter;
	struct page *page;

	__sg_page_iter_start(&sg_iter, sgt->sgl, sgt->orig_nents, 0);
	if (!__sg_page_iter_next(&sg_iter))
		return 0;

	while (true) {
		page = sg_page_iter_page(&sg_iter);
		mr->pages[mr->nbuf++] = page;
		if (!__sg_page_iter_next(&sg_iter))
			break;
	}
	return 0;
}

static int rxe_reg(struct rxe_mr *mr, struct ib_umem *umem)
{
	return rxe_fill_from_sgt(mr, &umem->sgt_append.sgt);
}

/* mlx4: the DMA entries, merged by hand into blocks. */
static u64 mlx4_mtt(struct ib_umem *umem)
{
	u64 cur_start_addr = 0, len = 0, n = 0;
	struct scatterlist *sg;
	int i;

	for_each_sgtable_dma_sg(&umem->sgt_append.sgt, sg, i) {
		if (cur_start_addr + len == sg_dma_address(sg)) {
			len += sg_dma_len(sg);
			continue;
		}
		n++;
		cur_start_addr = sg_dma_address(sg);
		len = sg_dma_len(sg);
	}
	return n;
}

/* The same walk through a pointer to a struct holding the umem, with a
 * loop counter that is used after the loop and so stays.
 */
static int mr_ranges(struct my_mr *mr)
{
	struct scatterlist *sg;
	u64 total = 0;
	int i;

	for_each_sgtable_dma_sg(&mr->umem->sgt_append.sgt, sg, i)
		total += sg_dma_len(sg);
	return total ? i : 0;
}

/* The block walk already goes through the umem: nothing to do. */
static void blocks(struct ib_umem *umem, u64 *pas, unsigned long pgsz)
{
	struct ib_block_iter biter;

	rdma_umem_for_each_dma_block(umem, &biter, pgsz)
		*pas++ = rdma_block_iter_dma_address(&biter);
}

/* Not a umem: a driver's own sg_table is left alone. */
static int own_table(struct sg_table *sgt)
{
	struct scatterlist *sg;
	int i, n = 0;

	for_each_sgtable_dma_sg(sgt, sg, i)
		n += sg_dma_len(sg);
	return n;
}

/* A helper that is also handed another table keeps its sg_table. */
static int count_pages(struct sg_table *sgt)
{
	struct sg_page_iter it;
	int n = 0;

	__sg_page_iter_start(&it, sgt->sgl, sgt->orig_nents, 0);
	while (__sg_page_iter_next(&it))
		n++;
	return n;
}

static int count_both(struct ib_umem *umem, struct sg_table *other)
{
	return count_pages(&umem->sgt_append.sgt) + count_pages(other);
}

/* The loop counter read inside the loop: left for report mode. */
static u64 first_is_special(struct ib_umem *umem)
{
	struct scatterlist *sg;
	u64 mask = 0;
	int i;

	for_each_sgtable_dma_sg(&umem->sgt_append.sgt, sg, i) {
		if (i != 0)
			mask |= sg_dma_address(sg);
	}
	return mask;
}
