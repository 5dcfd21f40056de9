// SPDX-License-Identifier: GPL-2.0
/*
 * Page-less dma-buf export of registered PCI BAR ranges
 *
 * The exporter maps the range for each importer's device with dma_sg
 * (bus address, or MMIO through the host bridge and IOMMU), so no importer
 * sees a CPU physical address or a struct page.  Unregistering the range
 * revokes the export: importers get move_notify, their queued work is
 * waited for up to a bound, and what they still hold is unmapped.
 *
 * See Documentation/driver-api/pci/p2p-bar.rst.
 */
#define pr_fmt(fmt) "pci-p2p-bar: " fmt

#include <linux/dma-buf.h>
#include <linux/dma-resv.h>
#include <linux/dma_sg_map.h>
#include <linux/export.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/pci-p2p-bar.h>
#include <linux/slab.h>
#include "pci.h"
#include "p2p_bar.h"

MODULE_IMPORT_NS(DMA_BUF);

/*
 * How long a revoke waits for the fences of work importers already
 * queued.  After that their mappings are torn down regardless: behind an
 * IOMMU late DMA then faults instead of reaching the BAR.
 */
#define P2P_BAR_DMABUF_REVOKE_TIMEOUT	(5 * HZ)

/**
 * struct p2p_bar_dmabuf - one exported range
 * @revoker: attached to the BAR id while the export lives.
 * @dmabuf: the dma-buf.
 * @id: the BAR id.
 * @paddr: CPU physical address of the first byte.
 * @size: size in bytes.
 * @maps: the live mappings, under the reservation lock.
 * @revoked: set once the range is unregistered, under the reservation
 *	lock; mapping then fails with -ENODEV.
 */
struct p2p_bar_dmabuf {
	struct pci_p2p_bar_revoker revoker;
	struct dma_buf *dmabuf;
	u32 id;
	phys_addr_t paddr;
	u64 size;
	struct list_head maps;
	bool revoked;
};

/**
 * struct p2p_bar_dmabuf_map - one importer's mapping
 * @map: the mapping; its table is what the importer reads.
 * @node: on &p2p_bar_dmabuf.maps while it holds a mapping.
 */
struct p2p_bar_dmabuf_map {
	struct dma_sg_map map;
	struct list_head node;
};

/* The map type for @dev, with no reference kept. */
static int p2p_bar_dmabuf_type(struct p2p_bar_dmabuf *x, struct device *dev,
			       enum dma_sg_map_hint *type)
{
	struct pci_p2p_bar_map m;
	int ret;

	ret = pci_p2p_bar_get_map(x->id, dev, x->paddr, x->size, &m);
	if (ret)
		return ret;
	pci_p2p_bar_put(x->id);
	*type = m.type;
	return 0;
}

static int p2p_bar_dmabuf_attach(struct dma_buf *dmabuf,
				 struct dma_buf_attachment *attach)
{
	enum dma_sg_map_hint type;

	/* Only importers that handle memory without struct page. */
	if (!attach->peer2peer)
		return -EOPNOTSUPP;
	return p2p_bar_dmabuf_type(dmabuf->priv, attach->dev, &type);
}

/* Never moves; a revoke overrides a pin. */
static int p2p_bar_dmabuf_pin(struct dma_buf_attachment *attach)
{
	struct p2p_bar_dmabuf *x = attach->dmabuf->priv;

	return x->revoked ? -ENODEV : 0;
}

static void p2p_bar_dmabuf_unpin(struct dma_buf_attachment *attach)
{
}

static struct dma_sg_table *
p2p_bar_dmabuf_map_dma_sg(struct dma_buf_attachment *attach,
			  enum dma_data_direction dir)
{
	struct p2p_bar_dmabuf *x = attach->dmabuf->priv;
	struct p2p_bar_dmabuf_map *m;
	enum dma_sg_map_hint type;
	struct dma_sg_phys r;
	int ret;

	dma_resv_assert_held(attach->dmabuf->resv);
	if (x->revoked)
		return ERR_PTR(-ENODEV);
	ret = p2p_bar_dmabuf_type(x, attach->dev, &type);
	if (ret)
		return ERR_PTR(ret);
	ret = dma_sg_phys_set(&r, x->paddr, x->size, type, x->id);
	if (ret)
		return ERR_PTR(ret);

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return ERR_PTR(-ENOMEM);
	/* Importers cut entries to their own limits as they read them. */
	dma_sg_map_init(&m->map, DMA_SG_MAP_NO_SEG_LIMITS);
	ret = dma_sg_map_phys(&m->map, attach->dev, &r, 1, dir, 0, GFP_KERNEL);
	if (ret) {
		kfree(m);
		return ERR_PTR(ret);
	}
	list_add(&m->node, &x->maps);
	return &m->map.table;
}

static void p2p_bar_dmabuf_unmap_dma_sg(struct dma_buf_attachment *attach,
					struct dma_sg_table *table,
					enum dma_data_direction dir)
{
	struct p2p_bar_dmabuf_map *m =
		container_of(table, struct p2p_bar_dmabuf_map, map.table);

	dma_resv_assert_held(attach->dmabuf->resv);
	/* A revoke may have unmapped it already. */
	if (dma_sg_map_is_mapped(&m->map)) {
		dma_sg_unmap(&m->map);
		list_del(&m->node);
	}
	kfree(m);
}

static void p2p_bar_dmabuf_release(struct dma_buf *dmabuf)
{
	struct p2p_bar_dmabuf *x = dmabuf->priv;

	pci_p2p_bar_del_revoker(&x->revoker);
	WARN_ON(!list_empty(&x->maps));
	kfree(x);
}

static const struct dma_buf_ops p2p_bar_dmabuf_ops = {
	.attach = p2p_bar_dmabuf_attach,
	.pin = p2p_bar_dmabuf_pin,
	.unpin = p2p_bar_dmabuf_unpin,
	.map_dma_sg = p2p_bar_dmabuf_map_dma_sg,
	.unmap_dma_sg = p2p_bar_dmabuf_unmap_dma_sg,
	.release = p2p_bar_dmabuf_release,
};

/*
 * Called once, as the range is unregistered: stop new mappings, tell the
 * importers, give their queued work a bounded time, then unmap whatever
 * they still hold so that no reference on the BAR remains.
 */
static void p2p_bar_dmabuf_revoke(struct pci_p2p_bar_revoker *r)
{
	struct p2p_bar_dmabuf *x = container_of(r, struct p2p_bar_dmabuf,
						revoker);
	struct dma_resv *resv = x->dmabuf->resv;
	struct p2p_bar_dmabuf_map *m, *tmp;
	long ret;

	dma_resv_lock(resv, NULL);
	x->revoked = true;
	dma_buf_move_notify(x->dmabuf);
	dma_resv_unlock(resv);

	ret = dma_resv_wait_timeout(resv, DMA_RESV_USAGE_BOOKKEEP, false,
				    P2P_BAR_DMABUF_REVOKE_TIMEOUT);
	if (ret <= 0)
		pr_warn("id %u: importers' work did not finish (%ld); unmapping anyway\n",
			x->id, ret);

	dma_resv_lock(resv, NULL);
	list_for_each_entry_safe(m, tmp, &x->maps, node) {
		dma_sg_unmap(&m->map);
		list_del(&m->node);
	}
	dma_resv_unlock(resv);
}

/**
 * pci_p2p_bar_export_dmabuf - export part of a registered BAR range
 * @bar: a registration from pci_p2p_bar_register().
 * @offset: offset of the exported part in the registered range; page
 *	aligned.
 * @size: its size in bytes; page aligned and not zero.
 * @flags: file flags of the dma-buf, such as O_CLOEXEC.
 *
 * Each importer must allow peer-to-peer (&dma_buf_attach_ops.allow_peer2peer)
 * and be able to reach the BAR; its device then gets a dma_sg mapping of
 * the range through dma_buf_map_attachment_dma_sg(), or an sg_table of
 * the same addresses through dma_buf_map_attachment().
 *
 * The export does not keep @bar registered.  pci_p2p_bar_unregister_sync()
 * revokes it instead: importers get move_notify, the fences of their
 * queued work are waited for (for a bounded time), the mappings they
 * still hold are unmapped, and later mappings fail with -ENODEV.
 * pci_p2p_bar_unregister() fails with -EBUSY while an export lives.
 * Context: process context; may sleep.
 *
 * Return: the dma-buf, or an ERR_PTR(): -ENOENT if @bar is going away;
 * -EINVAL for a NULL @bar, or if the part is not page aligned or not
 * inside the registered range; -ENOMEM.
 */
struct dma_buf *pci_p2p_bar_export_dmabuf(struct pci_p2p_bar *bar,
					  u64 offset, u64 size, int flags)
{
	DEFINE_DMA_BUF_EXPORT_INFO(info);
	struct p2p_bar_dmabuf *x;
	struct dma_buf *dmabuf;
	int ret;

	if (!bar || !size || !PAGE_ALIGNED(offset) || !PAGE_ALIGNED(size) ||
	    offset >= bar->size || size > bar->size - offset ||
	    size > SIZE_MAX)
		return ERR_PTR(-EINVAL);

	x = kzalloc(sizeof(*x), GFP_KERNEL);
	if (!x)
		return ERR_PTR(-ENOMEM);
	x->id = bar->id;
	x->paddr = bar->start + offset;
	x->size = size;
	INIT_LIST_HEAD(&x->maps);
	INIT_LIST_HEAD(&x->revoker.node);
	x->revoker.revoke = p2p_bar_dmabuf_revoke;

	info.ops = &p2p_bar_dmabuf_ops;
	info.size = size;
	info.flags = flags;
	info.priv = x;
	dmabuf = dma_buf_export(&info);
	if (IS_ERR(dmabuf)) {
		kfree(x);
		return dmabuf;
	}
	x->dmabuf = dmabuf;

	/* From here the release op owns @x, and detaches the revoker. */
	ret = pci_p2p_bar_add_revoker(bar, &x->revoker);
	if (ret) {
		dma_buf_put(dmabuf);
		return ERR_PTR(ret);
	}
	return dmabuf;
}
EXPORT_SYMBOL_GPL(pci_p2p_bar_export_dmabuf);
