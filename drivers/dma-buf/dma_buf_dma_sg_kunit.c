// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the page-less dma-buf map op and its bridges.
 *
 * A test exporter shares eight pages of system memory (four of them one
 * physically contiguous block) through the sg op, the dma_sg op or both,
 * and an importer maps them through dma_buf_map_attachment() or
 * dma_buf_map_attachment_dma_sg().  Every byte the importer's DMA
 * addresses reach is compared with the buffer, through dma-direct, swiotlb
 * when booted with swiotlb=force, or the IOMMU when the importer is a PCI
 * device behind one.
 */
#include <kunit/device.h>
#include <kunit/fail_nth.h>
#include <kunit/test.h>
#include <linux/dma-buf.h>
#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/dma_sg.h>
#include <linux/dma_sg_map.h>
#include <linux/file.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

MODULE_IMPORT_NS(DMA_BUF);

#define EXP_PAGES	8
#define EXP_SIZE	(EXP_PAGES * PAGE_SIZE)
/* The importer's segment limit: two pages, so the bridge must split. */
#define IMP_MAX_SEG	(2 * PAGE_SIZE)
/* Map ops in which an exporter with both declines the buffer. */
#define DECLINE_SGT	BIT(0)
#define DECLINE_DMA_SG	BIT(1)

struct test_exp {
	struct page *block;
	struct page *pages[EXP_PAGES];
	int maps;		/* exporter mappings alive */
	int pins;
	int fail_map;		/* error the next map returns, or 0 */
	unsigned int decline;	/* DECLINE_*: ops that refuse the buffer */
	bool empty;		/* map to an empty table, as for a UUID peer */
	struct sg_table *last_sgt;
	dma_addr_t last_first;	/* first DMA address of @last_sgt */
	bool *released;
};

static u8 pat(u64 i)
{
	return i ^ (i >> 8) ^ 0x5a;
}

static struct test_exp *exp_of(struct dma_buf_attachment *attach)
{
	return attach->dmabuf->priv;
}

static struct sg_table *exp_map_sgt(struct dma_buf_attachment *attach,
				    enum dma_data_direction dir)
{
	struct test_exp *e = exp_of(attach);
	struct sg_table *sgt;
	int ret;

	if (e->fail_map)
		return ERR_PTR(e->fail_map);
	if (e->decline & DECLINE_SGT)
		return ERR_PTR(-EOPNOTSUPP);
	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt)
		return ERR_PTR(-ENOMEM);
	if (e->empty) {
		e->maps++;
		return sgt;
	}
	/* Within the importer's segment limit, as dma-debug checks. */
	ret = sg_alloc_table_from_pages_segment(sgt, e->pages, EXP_PAGES, 0,
						EXP_SIZE,
						dma_get_max_seg_size(attach->dev),
						GFP_KERNEL);
	if (ret)
		goto err_free;
	ret = dma_map_sgtable(attach->dev, sgt, dir, 0);
	if (ret)
		goto err_table;
	e->maps++;
	e->last_sgt = sgt;
	e->last_first = sg_dma_address(sgt->sgl);
	return sgt;

err_table:
	sg_free_table(sgt);
err_free:
	kfree(sgt);
	return ERR_PTR(ret);
}

static void exp_unmap_sgt(struct dma_buf_attachment *attach,
			  struct sg_table *sgt, enum dma_data_direction dir)
{
	if (sgt->nents)
		dma_unmap_sgtable(attach->dev, sgt, dir, 0);
	sg_free_table(sgt);
	kfree(sgt);
	exp_of(attach)->maps--;
}

static struct dma_sg_table *exp_map_dma_sg(struct dma_buf_attachment *attach,
					   enum dma_data_direction dir)
{
	struct test_exp *e = exp_of(attach);
	struct dma_sg_map *map;
	int ret;

	if (e->fail_map)
		return ERR_PTR(e->fail_map);
	if (e->decline & DECLINE_DMA_SG)
		return ERR_PTR(-EOPNOTSUPP);
	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return ERR_PTR(-ENOMEM);
	ret = e->empty ? 0 : dma_sg_map_pages(map, attach->dev, e->pages,
					      EXP_PAGES, 0, EXP_SIZE, dir, 0,
					      GFP_KERNEL);
	if (ret) {
		kfree(map);
		return ERR_PTR(ret);
	}
	e->maps++;
	return &map->table;
}

static void exp_unmap_dma_sg(struct dma_buf_attachment *attach,
			     struct dma_sg_table *table,
			     enum dma_data_direction dir)
{
	struct dma_sg_map *map = container_of(table, struct dma_sg_map, table);

	dma_sg_unmap(map);
	kfree(map);
	exp_of(attach)->maps--;
}

static int exp_pin(struct dma_buf_attachment *attach)
{
	exp_of(attach)->pins++;
	return 0;
}

static void exp_unpin(struct dma_buf_attachment *attach)
{
	exp_of(attach)->pins--;
}

static void exp_release(struct dma_buf *dmabuf)
{
	struct test_exp *e = dmabuf->priv;
	int i;

	__free_pages(e->block, 2);
	for (i = 4; i < EXP_PAGES; i++)
		__free_page(e->pages[i]);
	*e->released = true;
	kfree(e);
}

/*
 * Dynamic, so that a dynamic importer maps on demand; a static importer
 * makes the core map at attach instead.
 */
static const struct dma_buf_ops exp_sg_ops = {
	.pin = exp_pin,
	.unpin = exp_unpin,
	.map_dma_buf = exp_map_sgt,
	.unmap_dma_buf = exp_unmap_sgt,
	.release = exp_release,
};

static const struct dma_buf_ops exp_dma_sg_ops = {
	.pin = exp_pin,
	.unpin = exp_unpin,
	.map_dma_sg = exp_map_dma_sg,
	.unmap_dma_sg = exp_unmap_dma_sg,
	.release = exp_release,
};

static const struct dma_buf_ops exp_both_ops = {
	.pin = exp_pin,
	.unpin = exp_unpin,
	.map_dma_buf = exp_map_sgt,
	.unmap_dma_buf = exp_unmap_sgt,
	.map_dma_sg = exp_map_dma_sg,
	.unmap_dma_sg = exp_unmap_dma_sg,
	.release = exp_release,
};

static const struct dma_buf_ops exp_dma_sg_cached_ops = {
	.cache_sgt_mapping = true,
	.map_dma_sg = exp_map_dma_sg,
	.unmap_dma_sg = exp_unmap_dma_sg,
	.release = exp_release,
};

/* The exporters that have one map op: each importer kind needs a bridge. */
static const struct dma_buf_ops *const one_kind_ops[] = {
	&exp_dma_sg_ops, &exp_sg_ops,
};

struct test_ctx {
	struct dma_buf *dmabuf;
	struct test_exp *e;
	struct device *dev;
	bool released;
};

static void imp_move_notify(struct dma_buf_attachment *attach)
{
}

static const struct dma_buf_attach_ops imp_dynamic_ops = {
	.move_notify = imp_move_notify,
};

/*
 * The importer: a PCI device behind an IOMMU DMA domain when there is one
 * and @iommu is set, otherwise a KUnit device limited to IMP_MAX_SEG.
 */
static struct device *imp_dev(struct kunit *test, bool iommu)
{
	struct pci_dev *pdev = NULL;
	struct device *dev;

	if (iommu) {
		for_each_pci_dev(pdev) {
			struct iommu_domain *d = iommu_get_domain_for_dev(&pdev->dev);

			if (d && (d->type & __IOMMU_DOMAIN_DMA_API) &&
			    pdev->dev.dma_parms) {
				pci_dev_put(pdev);
				return &pdev->dev;
			}
		}
		kunit_skip(test, "no PCI device behind an IOMMU DMA domain");
	}
	dev = kunit_device_register(test, "dma_buf_dma_sg");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	dev->dma_mask = &dev->coherent_dma_mask;
	KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64)), 0);
	dev->dma_parms = kunit_kzalloc(test, sizeof(*dev->dma_parms), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dev->dma_parms);
	dma_set_max_seg_size(dev, IMP_MAX_SEG);
	return dev;
}

static void ctx_export(struct kunit *test, struct test_ctx *c,
		       const struct dma_buf_ops *ops, struct device *dev)
{
	DEFINE_DMA_BUF_EXPORT_INFO(info);
	struct test_exp *e;
	u8 *p;
	int i;

	c->dev = dev;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e);
	e->block = alloc_pages(GFP_KERNEL, 2);
	KUNIT_ASSERT_NOT_NULL(test, e->block);
	for (i = 0; i < EXP_PAGES; i++) {
		e->pages[i] = i < 4 ? e->block + i : alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, e->pages[i]);
		p = page_address(e->pages[i]);
		for (int j = 0; j < PAGE_SIZE; j++)
			p[j] = pat((u64)i * PAGE_SIZE + j);
	}
	e->released = &c->released;
	info.ops = ops;
	info.size = EXP_SIZE;
	info.flags = O_RDWR;
	info.priv = e;
	c->dmabuf = dma_buf_export(&info);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c->dmabuf);
	c->e = e;
}

/* Drop the buffer and check that its release ran, with nothing mapped. */
static void ctx_put(struct kunit *test, struct test_ctx *c)
{
	KUNIT_EXPECT_EQ(test, c->e->maps, 0);
	KUNIT_EXPECT_EQ(test, c->e->pins, 0);
	dma_buf_put(c->dmabuf);
	flush_delayed_fput();
	KUNIT_EXPECT_TRUE(test, c->released);
}

/* The CPU address that DMA address @addr of @dev reaches. */
static void *dev_virt(struct device *dev, dma_addr_t addr)
{
	struct iommu_domain *d = iommu_get_domain_for_dev(dev);
	phys_addr_t phys;

	if (d && (d->type & __IOMMU_DOMAIN_DMA_API))
		phys = iommu_iova_to_phys(d, addr);
	else
		phys = dma_to_phys(dev, addr);
	return phys ? phys_to_virt(phys) : NULL;
}

/* Compare [@addr, @addr + @len), buffer offset @pos on, with the buffer. */
static void check_range(struct kunit *test, struct device *dev,
			dma_addr_t addr, u64 len, u64 pos)
{
	while (len) {
		u64 n = min_t(u64, len, PAGE_SIZE - offset_in_page(addr));
		u8 *p = dev_virt(dev, addr);
		u64 i;

		KUNIT_ASSERT_NOT_NULL(test, p);
		for (i = 0; i < n; i++)
			if (p[i] != pat(pos + i))
				break;
		KUNIT_ASSERT_EQ_MSG(test, i, n, "byte %llu differs", pos + i);
		addr += n;
		len -= n;
		pos += n;
	}
}

static void check_dma_sg(struct kunit *test, struct device *dev,
			 const struct dma_sg_table *table)
{
	struct dma_sg_iter iter;
	struct dma_sg *sg;
	u64 pos = 0;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, table);
	KUNIT_EXPECT_EQ(test, dma_sg_table_len(table), (u64)EXP_SIZE);
	dma_sg_for_each(table, sg, iter) {
		KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(sg->addr));
		check_range(test, dev, sg->addr, sg->len, pos);
		pos += sg->len;
	}
	KUNIT_EXPECT_EQ(test, pos, (u64)EXP_SIZE);
}

static void check_sgt(struct kunit *test, struct device *dev,
		      struct sg_table *sgt, bool pageless)
{
	u64 max = dma_get_max_seg_size(dev), pos = 0;
	struct scatterlist *sg;
	int i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sgt);
	for_each_sgtable_dma_sg(sgt, sg, i) {
		KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(sg_dma_address(sg)));
		/* The bridge's table; an exporter's own is its business. */
		if (pageless) {
			KUNIT_EXPECT_LE(test, (u64)sg_dma_len(sg), max);
			if (!IS_ENABLED(CONFIG_DMABUF_DEBUG))
				KUNIT_EXPECT_NULL(test, sg_page(sg));
		}
		check_range(test, dev, sg_dma_address(sg), sg_dma_len(sg), pos);
		pos += sg_dma_len(sg);
	}
	KUNIT_EXPECT_EQ(test, pos, (u64)EXP_SIZE);
}

struct matrix_param {
	const char *name;
	const struct dma_buf_ops *ops;
	bool dma_sg_importer;
	bool iommu;
};

static const struct matrix_param matrix_params[] = {
	{ "dma_sg-exporter,dma_sg-importer", &exp_dma_sg_ops, true, false },
	{ "sg-exporter,dma_sg-importer", &exp_sg_ops, true, false },
	{ "dma_sg-exporter,sg-importer", &exp_dma_sg_ops, false, false },
	{ "sg-exporter,sg-importer", &exp_sg_ops, false, false },
	{ "both-ops,dma_sg-importer", &exp_both_ops, true, false },
	{ "both-ops,sg-importer", &exp_both_ops, false, false },
	{ "dma_sg-exporter,dma_sg-importer,iommu", &exp_dma_sg_ops, true, true },
	{ "sg-exporter,dma_sg-importer,iommu", &exp_sg_ops, true, true },
	{ "dma_sg-exporter,sg-importer,iommu", &exp_dma_sg_ops, false, true },
};

static void matrix_desc(const struct matrix_param *p, char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(matrix, matrix_params, matrix_desc);

/*
 * Every exporter kind with every importer kind, dynamic importer: the
 * importer reaches every byte, the exporter sees exactly one mapping while
 * it is held, and none after.  A dma_sg importer of an sg exporter gets a
 * copy: the exporter's own table is not touched.
 */
static void matrix_test(struct kunit *test)
{
	const struct matrix_param *p = test->param_value;
	struct dma_buf_attachment *attach;
	struct test_ctx c = {};

	ctx_export(test, &c, p->ops, imp_dev(test, p->iommu));
	attach = dma_buf_dynamic_attach(c.dmabuf, c.dev, &imp_dynamic_ops, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, attach);

	dma_resv_lock(c.dmabuf->resv, NULL);
	if (p->dma_sg_importer) {
		const struct dma_sg_table *t;

		t = dma_buf_map_attachment_dma_sg(attach, DMA_BIDIRECTIONAL);
		check_dma_sg(test, c.dev, t);
		KUNIT_EXPECT_EQ(test, c.e->maps, 1);
		if (!p->ops->map_dma_sg) {
			KUNIT_EXPECT_NOT_NULL(test, c.e->last_sgt);
			KUNIT_EXPECT_EQ(test, sg_dma_address(c.e->last_sgt->sgl),
					c.e->last_first);
		}
		dma_buf_unmap_attachment_dma_sg(attach, t, DMA_BIDIRECTIONAL);
	} else {
		struct sg_table *sgt;

		sgt = dma_buf_map_attachment(attach, DMA_BIDIRECTIONAL);
		check_sgt(test, c.dev, sgt, !p->ops->map_dma_buf);
		KUNIT_EXPECT_EQ(test, c.e->maps, 1);
		dma_buf_unmap_attachment(attach, sgt, DMA_BIDIRECTIONAL);
	}
	KUNIT_EXPECT_EQ(test, c.e->maps, 0);
	dma_resv_unlock(c.dmabuf->resv);

	dma_buf_detach(c.dmabuf, attach);
	ctx_put(test, &c);
}

/*
 * An exporter that asks for cached mappings gets one per attachment: both
 * importer kinds share it, and detach unmaps it.
 */
static void cached_test(struct kunit *test)
{
	const struct dma_sg_table *t1, *t2;
	struct dma_buf_attachment *attach;
	struct test_ctx c = {};
	struct sg_table *sgt;

	ctx_export(test, &c, &exp_dma_sg_cached_ops, imp_dev(test, false));
	attach = dma_buf_attach(c.dmabuf, c.dev);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, attach);

	t1 = dma_buf_map_attachment_dma_sg_unlocked(attach, DMA_BIDIRECTIONAL);
	check_dma_sg(test, c.dev, t1);
	t2 = dma_buf_map_attachment_dma_sg_unlocked(attach, DMA_TO_DEVICE);
	KUNIT_EXPECT_PTR_EQ(test, t1, t2);
	KUNIT_EXPECT_EQ(test, c.e->maps, 1);

	/* The sg importer's table is a copy of the cached mapping. */
	sgt = dma_buf_map_attachment_unlocked(attach, DMA_BIDIRECTIONAL);
	check_sgt(test, c.dev, sgt, true);
	KUNIT_EXPECT_EQ(test, c.e->maps, 1);
	dma_buf_unmap_attachment_unlocked(attach, sgt, DMA_BIDIRECTIONAL);
	dma_buf_unmap_attachment_dma_sg_unlocked(attach, t2, DMA_TO_DEVICE);
	dma_buf_unmap_attachment_dma_sg_unlocked(attach, t1, DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, c.e->maps, 1);

	dma_buf_detach(c.dmabuf, attach);
	KUNIT_EXPECT_EQ(test, c.e->maps, 0);
	ctx_put(test, &c);
}

/*
 * A static importer of a dynamic exporter: the core pins and maps at
 * attach, in the exporter's own kind, and both importer kinds are served
 * from that mapping until detach.
 */
static void static_importer_test(struct kunit *test)
{
	struct device *dev = imp_dev(test, false);
	int i;

	for (i = 0; i < ARRAY_SIZE(one_kind_ops); i++) {
		const struct dma_sg_table *t;
		struct dma_buf_attachment *attach;
		struct test_ctx c = {};
		struct sg_table *sgt;

		ctx_export(test, &c, one_kind_ops[i], dev);
		attach = dma_buf_attach(c.dmabuf, c.dev);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, attach);
		KUNIT_EXPECT_EQ(test, c.e->pins, 1);
		KUNIT_EXPECT_EQ(test, c.e->maps, 1);

		t = dma_buf_map_attachment_dma_sg_unlocked(attach,
							   DMA_BIDIRECTIONAL);
		check_dma_sg(test, c.dev, t);
		sgt = dma_buf_map_attachment_unlocked(attach, DMA_BIDIRECTIONAL);
		check_sgt(test, c.dev, sgt, one_kind_ops[i] == &exp_dma_sg_ops);
		KUNIT_EXPECT_EQ(test, c.e->maps, 1);
		dma_buf_unmap_attachment_unlocked(attach, sgt, DMA_BIDIRECTIONAL);
		dma_buf_unmap_attachment_dma_sg_unlocked(attach, t,
							 DMA_BIDIRECTIONAL);

		dma_buf_detach(c.dmabuf, attach);
		ctx_put(test, &c);
	}
}

/* An exporter's error reaches both importer kinds, with nothing left. */
static void exporter_error_test(struct kunit *test)
{
	struct device *dev = imp_dev(test, false);
	int i;

	for (i = 0; i < ARRAY_SIZE(one_kind_ops); i++) {
		const struct dma_sg_table *t;
		struct dma_buf_attachment *attach;
		struct test_ctx c = {};
		struct sg_table *sgt;

		ctx_export(test, &c, one_kind_ops[i], dev);
		attach = dma_buf_dynamic_attach(c.dmabuf, c.dev,
						&imp_dynamic_ops, NULL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, attach);
		c.e->fail_map = -EINTR;
		t = dma_buf_map_attachment_dma_sg_unlocked(attach,
							   DMA_TO_DEVICE);
		KUNIT_EXPECT_PTR_EQ(test, t, ERR_PTR(-EINTR));
		sgt = dma_buf_map_attachment_unlocked(attach, DMA_TO_DEVICE);
		KUNIT_EXPECT_PTR_EQ(test, sgt, ERR_PTR(-EINTR));
		KUNIT_EXPECT_EQ(test, c.e->maps, 0);
		dma_buf_detach(c.dmabuf, attach);
		ctx_put(test, &c);
	}
}

/*
 * An exporter with both ops that declines the buffer in one of them: an
 * importer of that kind is served through the other op, and its unmap
 * finds the copy, while an importer of the other kind still gets the
 * exporter's own table.  Declined in both, both importers fail.  The
 * two mappings live at once, so they are DMA_TO_DEVICE: dma-debug rejects
 * overlapping mappings that the device writes.
 */
static void decline_test(struct kunit *test)
{
	struct device *dev = imp_dev(test, false);
	struct dma_buf_attachment *attach;
	const struct dma_sg_table *t;
	struct test_ctx c = {};
	struct sg_table *sgt;

	ctx_export(test, &c, &exp_both_ops, dev);
	attach = dma_buf_dynamic_attach(c.dmabuf, c.dev, &imp_dynamic_ops, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, attach);
	dma_resv_lock(c.dmabuf->resv, NULL);

	c.e->decline = DECLINE_SGT;
	sgt = dma_buf_map_attachment(attach, DMA_TO_DEVICE);
	check_sgt(test, c.dev, sgt, true);
	KUNIT_EXPECT_NULL(test, c.e->last_sgt);
	t = dma_buf_map_attachment_dma_sg(attach, DMA_TO_DEVICE);
	check_dma_sg(test, c.dev, t);
	KUNIT_EXPECT_EQ(test, c.e->maps, 2);
	dma_buf_unmap_attachment(attach, sgt, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, c.e->maps, 1);
	dma_buf_unmap_attachment_dma_sg(attach, t, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, c.e->maps, 0);

	c.e->decline = DECLINE_DMA_SG;
	t = dma_buf_map_attachment_dma_sg(attach, DMA_TO_DEVICE);
	check_dma_sg(test, c.dev, t);
	KUNIT_EXPECT_NOT_NULL(test, c.e->last_sgt);
	sgt = dma_buf_map_attachment(attach, DMA_TO_DEVICE);
	KUNIT_EXPECT_PTR_EQ(test, sgt, c.e->last_sgt);
	KUNIT_EXPECT_EQ(test, c.e->maps, 2);
	dma_buf_unmap_attachment_dma_sg(attach, t, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, c.e->maps, 1);
	dma_buf_unmap_attachment(attach, sgt, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, c.e->maps, 0);

	c.e->decline = DECLINE_SGT | DECLINE_DMA_SG;
	sgt = dma_buf_map_attachment(attach, DMA_TO_DEVICE);
	KUNIT_EXPECT_PTR_EQ(test, sgt, ERR_PTR(-EOPNOTSUPP));
	t = dma_buf_map_attachment_dma_sg(attach, DMA_TO_DEVICE);
	KUNIT_EXPECT_PTR_EQ(test, t, ERR_PTR(-EOPNOTSUPP));
	KUNIT_EXPECT_EQ(test, c.e->maps, 0);
	dma_resv_unlock(c.dmabuf->resv);
	dma_buf_detach(c.dmabuf, attach);
	ctx_put(test, &c);

	/* A static importer: the copy is cached at attach, freed at detach. */
	c = (struct test_ctx){};
	ctx_export(test, &c, &exp_both_ops, dev);
	c.e->decline = DECLINE_SGT;
	attach = dma_buf_attach(c.dmabuf, c.dev);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, attach);
	KUNIT_EXPECT_EQ(test, c.e->maps, 1);
	sgt = dma_buf_map_attachment_unlocked(attach, DMA_TO_DEVICE);
	check_sgt(test, c.dev, sgt, true);
	dma_buf_unmap_attachment_unlocked(attach, sgt, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, c.e->maps, 1);
	dma_buf_detach(c.dmabuf, attach);
	ctx_put(test, &c);
}

/*
 * An exporter may map a buffer to nothing, for a peer that reaches it by
 * other means (virtio-gpu does, by UUID): the copy of an empty mapping is
 * empty, in both directions, and unmaps cleanly.
 */
static void empty_test(struct kunit *test)
{
	struct device *dev = imp_dev(test, false);
	int i;

	for (i = 0; i < ARRAY_SIZE(one_kind_ops); i++) {
		struct dma_buf_attachment *attach;
		const struct dma_sg_table *t;
		struct test_ctx c = {};
		struct sg_table *sgt;

		ctx_export(test, &c, one_kind_ops[i], dev);
		c.e->empty = true;
		attach = dma_buf_dynamic_attach(c.dmabuf, c.dev,
						&imp_dynamic_ops, NULL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, attach);
		dma_resv_lock(c.dmabuf->resv, NULL);
		t = dma_buf_map_attachment_dma_sg(attach, DMA_BIDIRECTIONAL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
		KUNIT_EXPECT_EQ(test, dma_sg_table_nents(t), (u64)0);
		sgt = dma_buf_map_attachment(attach, DMA_BIDIRECTIONAL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sgt);
		KUNIT_EXPECT_EQ(test, sgt->nents, 0u);
		KUNIT_EXPECT_EQ(test, c.e->maps, 2);
		dma_buf_unmap_attachment(attach, sgt, DMA_BIDIRECTIONAL);
		dma_buf_unmap_attachment_dma_sg(attach, t, DMA_BIDIRECTIONAL);
		KUNIT_EXPECT_EQ(test, c.e->maps, 0);
		dma_resv_unlock(c.dmabuf->resv);
		dma_buf_detach(c.dmabuf, attach);
		ctx_put(test, &c);
	}
}

/* A mapping of the kind the exporter lacks: made through a bridge. */
struct bridged {
	const struct dma_sg_table *t;
	struct sg_table *sgt;
};

static int map_bridged(struct dma_buf_attachment *attach, struct bridged *b)
{
	if (!attach->dmabuf->ops->map_dma_sg) {
		b->t = dma_buf_map_attachment_dma_sg(attach, DMA_BIDIRECTIONAL);
		return PTR_ERR_OR_ZERO(b->t);
	}
	b->sgt = dma_buf_map_attachment(attach, DMA_BIDIRECTIONAL);
	return PTR_ERR_OR_ZERO(b->sgt);
}

static void check_unmap_bridged(struct kunit *test,
				struct dma_buf_attachment *attach,
				struct bridged *b)
{
	if (!attach->dmabuf->ops->map_dma_sg) {
		check_dma_sg(test, attach->dev, b->t);
		dma_buf_unmap_attachment_dma_sg(attach, b->t, DMA_BIDIRECTIONAL);
	} else {
		check_sgt(test, attach->dev, b->sgt, true);
		dma_buf_unmap_attachment(attach, b->sgt, DMA_BIDIRECTIONAL);
	}
}

/*
 * Fail each allocation of a bridged map in turn: the importer gets
 * -ENOMEM, and no exporter mapping and no memory is left (kmemleak).
 */
static void fault_test(struct kunit *test)
{
	struct kunit_fail_nth fail;
	struct device *dev;
	int i;

	if (kunit_fail_nth_init(&fail, KUNIT_FAIL_NTH_SLEEPING))
		kunit_skip(test, "needs failslab with its debugfs knobs");
	dev = imp_dev(test, false);

	for (i = 0; i < ARRAY_SIZE(one_kind_ops); i++) {
		struct dma_buf_attachment *attach;
		struct test_ctx c = {};
		unsigned int n, failures = 0;

		ctx_export(test, &c, one_kind_ops[i], dev);
		attach = dma_buf_dynamic_attach(c.dmabuf, c.dev,
						&imp_dynamic_ops, NULL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, attach);
		dma_resv_lock(c.dmabuf->resv, NULL);
		for (n = 1; n < 64; n++) {
			struct bridged b;
			unsigned int left;
			int ret;

			kunit_fail_nth_arm(&fail, n);
			ret = map_bridged(attach, &b);
			left = kunit_fail_nth_disarm(&fail);
			if (ret) {
				KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
				KUNIT_EXPECT_EQ(test, c.e->maps, 0);
				KUNIT_EXPECT_EQ(test, c.e->pins, 0);
				failures++;
				continue;
			}
			/* Some points fail silently: kmemleak has a pool. */
			check_unmap_bridged(test, attach, &b);
			if (left)
				break;
		}
		dma_resv_unlock(c.dmabuf->resv);
		KUNIT_EXPECT_LT(test, n, 64u);
		/* The bridge, the exporter's own, and the copy's table. */
		KUNIT_EXPECT_GE(test, failures, 3u);
		kunit_info(test, "%s exporter: %u of %u allocation points failed the map\n",
			   one_kind_ops[i] == &exp_sg_ops ? "sg" : "dma_sg", failures, n - 1);
		dma_buf_detach(c.dmabuf, attach);
		ctx_put(test, &c);
	}
}

static struct kunit_case dma_buf_dma_sg_cases[] = {
	KUNIT_CASE_PARAM(matrix_test, matrix_gen_params),
	KUNIT_CASE(cached_test),
	KUNIT_CASE(static_importer_test),
	KUNIT_CASE(exporter_error_test),
	KUNIT_CASE(decline_test),
	KUNIT_CASE(empty_test),
	KUNIT_CASE(fault_test),
	{}
};

static struct kunit_suite dma_buf_dma_sg_suite = {
	.name = "dma_buf_dma_sg",
	.test_cases = dma_buf_dma_sg_cases,
};

kunit_test_suite(dma_buf_dma_sg_suite);

MODULE_DESCRIPTION("KUnit tests for the dma-buf dma_sg map op");
MODULE_LICENSE("GPL");
