// SPDX-License-Identifier: GPL-2.0
/* Shapes of dma-buf umem users in RDMA drivers (mlx5 and the like). */

struct ib_umem_dmabuf;

static inline struct ib_umem_dmabuf *to_ib_umem_dmabuf(struct ib_umem *umem)
{
	return container_of(umem, struct ib_umem_dmabuf, umem);
}

/* mlx5: an invalidate callback, through a local. */
static void invalidate_cb(struct dma_buf_attachment *attach)
{
	struct ib_umem_dmabuf *umem_dmabuf = attach->importer_priv;
	struct mr *mr = umem_dmabuf->private;

	if (!umem_dmabuf->sgt || !mr)
		return;

	zap(mr);
	ib_umem_dmabuf_unmap_pages(umem_dmabuf);
}

/* A parameter, compared with NULL. */
static int need_map(struct ib_umem_dmabuf *u)
{
	return u->sgt == NULL;
}

/* Through to_ib_umem_dmabuf(), as a condition with an else. */
static int state(struct mr *mr)
{
	if (to_ib_umem_dmabuf(mr->umem)->sgt)
		return 1;
	else
		return 0;
}

/* The table itself is read: left for the report. */
static void *table(struct ib_umem_dmabuf *u)
{
	return u->sgt;
}

/* Another structure's sgt is not a umem's. */
static int other(struct foo *f)
{
	return !f->sgt;
}
