// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the page-less P2P BAR registry.
 *
 * KUnit's QEMU machine has no device with a memory BAR, so the tests lend
 * one: an empty standard BAR slot of a real PCI device with no driver is
 * filled with a memory resource above RAM for the length of a test, and
 * restored after it.  Everything else is real: the device, its bus, the
 * kernel's bus-address translation and P2P distance rules, and, for the
 * page test, pci_p2pdma_add_resource() with its ZONE_DEVICE pages.
 */
#include <kunit/device.h>
#include <kunit/fail_nth.h>
#include <kunit/test.h>
#include <linux/bvec.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/dma-direct.h>
#include <linux/dma_sg_map.h>
#include <linux/kthread.h>
#include <linux/pci-p2pdma.h>
#include <linux/sched.h>
#include <linux/sizes.h>

#include "pci.h"
#include "p2p_bar.h"

/* Above the 1 GiB of RAM KUnit's QEMU gives, below 40 physical address bits. */
#define P2P_TEST_START	0x200000000ULL
#define P2P_TEST_LEN	SZ_4M
/* Never a handle: what a failed register call must leave in place. */
#define P2P_TEST_UNSET	((struct pci_p2p_bar *)ERR_PTR(-ESTALE))

struct p2p_bar_test {
	struct pci_dev *pdev;
	int bar;
	struct resource saved;
	phys_addr_t start;
	u64 len;
	unsigned int kref_base;
	unsigned int nr_base;
	void *grp;		/* devres group of p2p_bar_test_page's pgmaps */
};

static unsigned int p2p_test_nr_registered(void)
{
	unsigned int i, n = 0;

	mutex_lock(&p2p_bars_lock);
	for (i = 1; p2p_bars && i <= DMA_SG_BAR_ID_MAX; i++)
		n += !!rcu_access_pointer(p2p_bars[i]);
	mutex_unlock(&p2p_bars_lock);
	return n;
}

/* What the registry files under @id; the caller knows whether it lives. */
static struct pci_p2p_bar *p2p_test_entry(u32 id)
{
	struct pci_p2p_bar *b;

	mutex_lock(&p2p_bars_lock);
	b = p2p_bar_locked(id);
	mutex_unlock(&p2p_bars_lock);
	return b;
}

/* The provider filed under @id, or NULL: an id outlives its handle. */
static struct pci_dev *p2p_test_provider(u32 id)
{
	struct pci_p2p_bar *b;
	struct pci_dev *pdev;

	mutex_lock(&p2p_bars_lock);
	b = p2p_bar_locked(id);
	pdev = b ? b->pdev : NULL;
	mutex_unlock(&p2p_bars_lock);
	return pdev;
}

static unsigned int p2p_test_kref(struct pci_dev *pdev)
{
	return kref_read(&pdev->dev.kobj.kref);
}

static int p2p_bar_test_init(struct kunit *test)
{
	struct pci_dev *pdev = NULL;
	struct p2p_bar_test *t;
	struct resource *res;
	int bar;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	test->priv = t;

	for_each_pci_dev(pdev) {
		if (pdev->dev.driver)
			continue;
		for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
			res = &pdev->resource[bar];
			if (!res->flags && !res->start && !res->end)
				goto found;
		}
	}
	kunit_skip(test, "no driverless PCI device with an empty BAR slot to lend");

found:
	t->pdev = pdev;		/* for_each_pci_dev() left a reference */
	t->bar = bar;
	t->saved = *res;
	t->start = P2P_TEST_START;
	t->len = P2P_TEST_LEN;
	res->name = "p2p_bar kunit";
	res->start = t->start;
	res->end = t->start + t->len - 1;
	res->flags = IORESOURCE_MEM | IORESOURCE_MEM_64;
	t->kref_base = p2p_test_kref(pdev);
	t->nr_base = p2p_test_nr_registered();
	return 0;
}

static void p2p_bar_test_exit(struct kunit *test)
{
	struct p2p_bar_test *t = test->priv;

	if (!t || !t->pdev)
		return;
	/* Every test leaves the registry and the device as it found them. */
	KUNIT_EXPECT_EQ(test, p2p_test_nr_registered(), t->nr_base);
	KUNIT_EXPECT_EQ(test, p2p_test_kref(t->pdev), t->kref_base);
	t->pdev->resource[t->bar] = t->saved;
	pci_dev_put(t->pdev);
}

/* Another PCI device than the provider, with a reference, or NULL. */
static struct pci_dev *p2p_test_other(struct p2p_bar_test *t)
{
	struct pci_dev *pdev = NULL;

	for_each_pci_dev(pdev)
		if (pdev != t->pdev)
			return pdev;
	return NULL;
}

static void p2p_bar_test_register_bad(struct kunit *test)
{
	struct p2p_bar_test *t = test->priv;
	struct pci_dev *pdev = t->pdev;
	struct pci_p2p_bar *b = P2P_TEST_UNSET;
	int other;

	other = (t->bar + 1) % PCI_STD_NUM_BARS;
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_register(NULL, t->bar, 0, 0, &b), -EINVAL);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_register(pdev, -1, 0, 0, &b), -EINVAL);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_register(pdev, PCI_STD_NUM_BARS, 0, 0, &b),
			-EINVAL);
	if (!(pci_resource_flags(pdev, other) & IORESOURCE_MEM))
		KUNIT_EXPECT_EQ(test, pci_p2p_bar_register(pdev, other, 0, 0, &b),
				-EINVAL);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_register(pdev, t->bar, t->len, 0, &b),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_register(pdev, t->bar, 0, t->len + 1, &b),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_register(pdev, t->bar, 4096, t->len, &b),
			-EINVAL);
	/* offset + size wraps past 2^64 */
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_register(pdev, t->bar, t->len - 1, U64_MAX,
						   &b), -EINVAL);
	/* An assigned but unset resource is no BAR. */
	pdev->resource[t->bar].flags |= IORESOURCE_UNSET;
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_register(pdev, t->bar, 0, 0, &b), -EINVAL);
	pdev->resource[t->bar].flags &= ~IORESOURCE_UNSET;

	KUNIT_EXPECT_PTR_EQ(test, b, P2P_TEST_UNSET);
	KUNIT_EXPECT_EQ(test, p2p_test_nr_registered(), t->nr_base);
	KUNIT_EXPECT_EQ(test, p2p_test_kref(pdev), t->kref_base);
}

static void p2p_bar_test_register_fields(struct kunit *test)
{
	struct p2p_bar_test *t = test->priv;
	struct device *client = &t->pdev->dev;
	u64 off = t->len / 4;
	struct pci_p2p_bar_map map;
	struct pci_p2p_bar *b, *b2;
	u32 id;

	KUNIT_ASSERT_EQ(test, pci_p2p_bar_register(t->pdev, t->bar, off, 0, &b), 0);
	id = pci_p2p_bar_id(b);
	KUNIT_EXPECT_GE(test, id, 1);
	KUNIT_EXPECT_LE(test, id, DMA_SG_BAR_ID_MAX);
	/* The handle is the entry the registry files under its id. */
	KUNIT_EXPECT_PTR_EQ(test, p2p_test_entry(id), b);
	KUNIT_EXPECT_PTR_EQ(test, b->pdev, t->pdev);
	KUNIT_EXPECT_EQ(test, b->bar, t->bar);
	KUNIT_EXPECT_EQ(test, b->start, t->start + off);
	KUNIT_EXPECT_EQ(test, b->size, t->len - off);
	KUNIT_EXPECT_EQ(test, b->bus_offset,
			(u64)pci_bus_address(t->pdev, t->bar) - t->start);
	KUNIT_EXPECT_EQ(test, refcount_read(&b->ref), 1);
	KUNIT_EXPECT_PTR_EQ(test, p2p_test_provider(id), t->pdev);
	KUNIT_EXPECT_EQ(test, p2p_test_kref(t->pdev), t->kref_base + 1);

	/* An explicit size, overlapping the first range: a second id. */
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_register(t->pdev, t->bar, 0, 4096, &b2), 0);
	KUNIT_EXPECT_NE(test, id, pci_p2p_bar_id(b2));
	KUNIT_EXPECT_EQ(test, b2->size, 4096);
	KUNIT_EXPECT_EQ(test, p2p_test_kref(t->pdev), t->kref_base + 2);

	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(b2), 0);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(b), 0);
	/* The handle is gone; the id it carried leads nowhere. */
	KUNIT_EXPECT_NULL(test, p2p_test_provider(id));
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_get_map(id, client, t->start + off, 1, &map),
			-ENOENT);
	/* No handle: refused or ignored, never dereferenced. */
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(NULL), -EINVAL);
	pci_p2p_bar_unregister_sync(NULL);
	KUNIT_EXPECT_EQ(test, p2p_test_nr_registered(), t->nr_base);
}

static void p2p_bar_test_get_map_range(struct kunit *test)
{
	struct p2p_bar_test *t = test->priv;
	struct device *client = &t->pdev->dev;
	u64 off = SZ_1M, size = SZ_1M;
	phys_addr_t s = t->start + off;
	struct pci_p2p_bar_map map;
	struct pci_p2p_bar *b, *ob;
	u32 id, other;

	KUNIT_ASSERT_EQ(test, pci_p2p_bar_register(t->pdev, t->bar, off, size, &b), 0);
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_register(t->pdev, t->bar, 0, SZ_64K, &ob), 0);
	id = pci_p2p_bar_id(b);
	other = pci_p2p_bar_id(ob);

	/* Whole range, first and last byte. */
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_get_map(id, client, s, size, &map), 0);
	KUNIT_EXPECT_EQ(test, map.start, s);
	KUNIT_EXPECT_EQ(test, map.size, size);
	KUNIT_EXPECT_EQ(test, map.bus_offset, b->bus_offset);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_bus_addr(&map, s + 8),
			(dma_addr_t)(pci_bus_address(t->pdev, t->bar) + off + 8));
	KUNIT_EXPECT_EQ(test, refcount_read(&b->ref), 2);
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_get_map(id, client, s, 1, &map), 0);
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_get_map(id, client, s + size - 1, 1, &map), 0);
	KUNIT_EXPECT_EQ(test, refcount_read(&b->ref), 4);
	pci_p2p_bar_put(id);
	pci_p2p_bar_put(id);
	pci_p2p_bar_put(id);
	KUNIT_EXPECT_EQ(test, refcount_read(&b->ref), 1);

	/* Outside, straddling, empty, wrapping: -EINVAL and no reference. */
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_get_map(id, client, s - 1, 1, &map), -EINVAL);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_get_map(id, client, s - 1, 2, &map), -EINVAL);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_get_map(id, client, s + size, 1, &map), -EINVAL);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_get_map(id, client, s + size - 1, 2, &map),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_get_map(id, client, s, size + 1, &map), -EINVAL);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_get_map(id, client, s, 0, &map), -EINVAL);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_get_map(id, client, s + 1, U64_MAX, &map),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_get_map(id, client, 0, 1, &map), -EINVAL);
	/* In the BAR, but not in the range registered for this id. */
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_get_map(id, client, t->start, 1, &map), -EINVAL);
	/* A range of id's BAR range carrying the other id. */
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_get_map(other, client, s, 1, &map), -EINVAL);
	KUNIT_EXPECT_EQ(test, refcount_read(&b->ref), 1);
	KUNIT_EXPECT_EQ(test, refcount_read(&ob->ref), 1);

	/* Unknown ids. */
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_get_map(0, client, s, 1, &map), -ENOENT);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_get_map(DMA_SG_BAR_ID_MAX + 1, client, s, 1, &map),
			-ENOENT);

	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(ob), 0);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_get_map(other, client, t->start, 1, &map),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(b), 0);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_get_map(id, client, s, 1, &map), -ENOENT);
}

/* The lookup a mapper makes for @p: by @p's own id, address and length. */
static int p2p_test_get_map_phys(const struct dma_sg_phys *p,
				 struct device *client,
				 struct pci_p2p_bar_map *map)
{
	return pci_p2p_bar_get_map(dma_sg_phys_bar(p), client, p->paddr,
				   dma_sg_phys_len(p), map);
}

/*
 * A struct dma_sg_phys leads the registry to its own range only.  The
 * hint is the mapper's to check; the registry's part is the type it
 * compares the hint with.
 */
static void p2p_bar_test_get_map_phys(struct kunit *test)
{
	struct p2p_bar_test *t = test->priv;
	struct device *client = &t->pdev->dev;
	struct pci_p2p_bar_map map;
	struct dma_sg_phys p;
	struct pci_p2p_bar *b, *ob;
	u32 id, other;

	KUNIT_ASSERT_EQ(test, pci_p2p_bar_register(t->pdev, t->bar, 0, SZ_1M, &b), 0);
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_register(t->pdev, t->bar, SZ_1M, SZ_1M, &ob),
			0);
	id = pci_p2p_bar_id(b);
	other = pci_p2p_bar_id(ob);

	/* A device reaching its own BAR: the bus-address hint is right. */
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&p, t->start + 64, 64, DMA_SG_MAP_BUS_ADDR,
					      id), 0);
	KUNIT_ASSERT_EQ(test, p2p_test_get_map_phys(&p, client, &map), 0);
	KUNIT_EXPECT_EQ(test, map.type, dma_sg_phys_hint(&p));
	KUNIT_EXPECT_EQ(test, map.start, t->start);
	pci_p2p_bar_put(id);

	/* The wrong P2P hint finds the range, and a type the mapper refuses. */
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&p, t->start + 64, 64,
					      DMA_SG_MAP_HOST_BRIDGE, id), 0);
	KUNIT_ASSERT_EQ(test, p2p_test_get_map_phys(&p, client, &map), 0);
	KUNIT_EXPECT_NE(test, map.type, dma_sg_phys_hint(&p));
	pci_p2p_bar_put(id);

	/* Memory carries id 0, which names no BAR. */
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&p, t->start, 64, DMA_SG_MAP_MEM, 0), 0);
	KUNIT_EXPECT_EQ(test, p2p_test_get_map_phys(&p, client, &map), -ENOENT);

	/* The other BAR's range under this id, and this one's under the other. */
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&p, t->start + SZ_1M, 64,
					      DMA_SG_MAP_BUS_ADDR, id), 0);
	KUNIT_EXPECT_EQ(test, p2p_test_get_map_phys(&p, client, &map), -EINVAL);
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&p, t->start, 64, DMA_SG_MAP_BUS_ADDR,
					      other), 0);
	KUNIT_EXPECT_EQ(test, p2p_test_get_map_phys(&p, client, &map), -EINVAL);
	/* Straddling the two registered ranges. */
	KUNIT_ASSERT_EQ(test, dma_sg_phys_set(&p, t->start + SZ_1M - 64, 128,
					      DMA_SG_MAP_BUS_ADDR, id), 0);
	KUNIT_EXPECT_EQ(test, p2p_test_get_map_phys(&p, client, &map), -EINVAL);

	KUNIT_EXPECT_EQ(test, refcount_read(&b->ref), 1);
	KUNIT_EXPECT_EQ(test, refcount_read(&ob->ref), 1);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(ob), 0);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(b), 0);
}

/*
 * What a producer describes its ranges with: the id, the hint for a
 * client and a whole struct dma_sg_phys.  Each must be what the mapper
 * later finds in the registry, or the mapping fails.
 */
static void p2p_bar_test_phys_set(struct kunit *test)
{
	struct p2p_bar_test *t = test->priv;
	struct device *client = &t->pdev->dev;
	/* Distinct sizes and a registration off the BAR's start. */
	u64 off = SZ_1M, size = SZ_2M, part = SZ_64K + 64, len = SZ_8K;
	phys_addr_t bar_start = pci_resource_start(t->pdev, t->bar);
	struct pci_p2p_bar_map map;
	struct dma_sg_phys p, saved;
	struct pci_p2p_bar *b;
	struct device *kdev;
	int hint, ret;
	u32 id;

	KUNIT_ASSERT_EQ(test, pci_p2p_bar_register(t->pdev, t->bar, off, size, &b), 0);
	id = pci_p2p_bar_id(b);
	KUNIT_EXPECT_NE(test, id, 0);
	KUNIT_EXPECT_LE(test, id, DMA_SG_BAR_ID_MAX);
	KUNIT_EXPECT_EQ(test, id, b->id);
	KUNIT_EXPECT_PTR_EQ(test, p2p_test_entry(id), b);

	/*
	 * get_map()'s type for the same client, with no reference taken: a
	 * device reaching its own BAR goes by bus address.
	 */
	hint = pci_p2p_bar_map_type(b, client);
	KUNIT_EXPECT_EQ(test, hint, DMA_SG_MAP_BUS_ADDR);
	KUNIT_EXPECT_EQ(test, refcount_read(&b->ref), 1);
	ret = pci_p2p_bar_get_map(id, client, t->start + off, 1, &map);
	KUNIT_EXPECT_EQ(test, ret, 0);
	if (!ret) {
		KUNIT_EXPECT_EQ(test, hint, map.type);
		pci_p2p_bar_put(id);
	}
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_map_type(NULL, client), -EINVAL);

	/* A part in the middle: the BAR's own address, the id and the hint. */
	memset(&p, 0xa5, sizeof(p));
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_phys_set(&p, b, client, part, len), 0);
	KUNIT_EXPECT_EQ(test, p.paddr, bar_start + off + part);
	KUNIT_EXPECT_EQ(test, dma_sg_phys_len(&p), len);
	KUNIT_EXPECT_EQ(test, dma_sg_phys_bar(&p), id);
	KUNIT_EXPECT_EQ(test, dma_sg_phys_hint(&p), hint);
	/* What it filled in maps, by the type it names. */
	ret = p2p_test_get_map_phys(&p, client, &map);
	KUNIT_EXPECT_EQ(test, ret, 0);
	if (!ret) {
		KUNIT_EXPECT_EQ(test, map.type, dma_sg_phys_hint(&p));
		pci_p2p_bar_put(id);
	}

	/* The whole range and its last byte fit. */
	memcpy(&saved, &p, sizeof(p));
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_phys_set(&saved, b, client, 0, size), 0);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_phys_set(&saved, b, client, size - 1, 1), 0);
	KUNIT_EXPECT_EQ(test, saved.paddr, bar_start + off + size - 1);

	/* Refused, and *p keeps what it held. */
	memcpy(&saved, &p, sizeof(p));
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_phys_set(&p, NULL, client, part, len), -EINVAL);
	KUNIT_EXPECT_MEMEQ(test, &p, &saved, sizeof(p));
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_phys_set(&p, b, client, part, 0), -EINVAL);
	KUNIT_EXPECT_MEMEQ(test, &p, &saved, sizeof(p));
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_phys_set(&p, b, client, size, 1), -EINVAL);
	KUNIT_EXPECT_MEMEQ(test, &p, &saved, sizeof(p));
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_phys_set(&p, b, client, part, size - part + 1),
			-EINVAL);
	KUNIT_EXPECT_MEMEQ(test, &p, &saved, sizeof(p));
	/* offset + len wraps past 2^64 */
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_phys_set(&p, b, client, part, U64_MAX), -EINVAL);
	KUNIT_EXPECT_MEMEQ(test, &p, &saved, sizeof(p));

	/* A client that is not a PCI device cannot reach the BAR. */
	kdev = kunit_device_register(test, "p2p_bar_kunit");
	KUNIT_EXPECT_FALSE(test, IS_ERR(kdev));
	if (!IS_ERR(kdev)) {
		KUNIT_EXPECT_EQ(test, pci_p2p_bar_map_type(b, kdev), -EREMOTEIO);
		KUNIT_EXPECT_EQ(test, pci_p2p_bar_phys_set(&p, b, kdev, part, len),
				-EREMOTEIO);
		KUNIT_EXPECT_MEMEQ(test, &p, &saved, sizeof(p));
	}

	KUNIT_EXPECT_EQ(test, refcount_read(&b->ref), 1);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(b), 0);
}

static void p2p_bar_test_map_type_same(struct kunit *test)
{
	struct p2p_bar_test *t = test->priv;
	unsigned long idx = pci_p2pdma_client_idx(t->pdev);
	struct pci_p2p_bar_map map;
	struct pci_p2p_bar *b;
	u32 id;

	KUNIT_ASSERT_EQ(test, pci_p2p_bar_register(t->pdev, t->bar, 0, 0, &b), 0);
	id = pci_p2p_bar_id(b);
	KUNIT_EXPECT_NULL(test, xa_load(&b->map_types, idx));
	/* A device reaching its own BAR: bus address, distance 0. */
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_get_map(id, &t->pdev->dev, t->start, 64, &map), 0);
	KUNIT_EXPECT_EQ(test, map.type, DMA_SG_MAP_BUS_ADDR);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_bus_addr(&map, t->start),
			(dma_addr_t)pci_bus_address(t->pdev, t->bar));
	pci_p2p_bar_put(id);
	KUNIT_EXPECT_EQ(test, xa_to_value(xa_load(&b->map_types, idx)),
			PCI_P2PDMA_MAP_BUS_ADDR);

	/* The last client's answer has a slot of its own. */
	KUNIT_EXPECT_EQ(test, (u64)atomic64_read(&b->last_client),
			(u64)idx << P2P_BAR_TYPE_BITS | PCI_P2PDMA_MAP_BUS_ADDR);

	/* A poisoned cache entry is what the next call returns: it is used. */
	xa_store_irq(&b->map_types, idx, xa_mk_value(PCI_P2PDMA_MAP_NOT_SUPPORTED),
		     GFP_KERNEL);
	atomic64_set(&b->last_client, 0);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_get_map(id, &t->pdev->dev, t->start, 64, &map),
			-EREMOTEIO);
	xa_store_irq(&b->map_types, idx, xa_mk_value(PCI_P2PDMA_MAP_THRU_HOST_BRIDGE),
		     GFP_KERNEL);
	atomic64_set(&b->last_client, 0);
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_get_map(id, &t->pdev->dev, t->start, 64, &map), 0);
	KUNIT_EXPECT_EQ(test, map.type, DMA_SG_MAP_HOST_BRIDGE);
	pci_p2p_bar_put(id);

	/* A hit in the slot reads no xarray: poison it, the slot answers. */
	xa_store_irq(&b->map_types, idx, xa_mk_value(PCI_P2PDMA_MAP_NOT_SUPPORTED),
		     GFP_KERNEL);
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_get_map(id, &t->pdev->dev, t->start, 64, &map), 0);
	KUNIT_EXPECT_EQ(test, map.type, DMA_SG_MAP_HOST_BRIDGE);
	pci_p2p_bar_put(id);
	/* A producer's hint comes from the same cache. */
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_map_type(b, &t->pdev->dev),
			DMA_SG_MAP_HOST_BRIDGE);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(b), 0);
}

static void p2p_bar_test_map_type_other(struct kunit *test)
{
	struct p2p_bar_test *t = test->priv;
	struct pci_p2p_bar_map map;
	struct pci_dev *client;
	struct device *kdev;
	struct pci_p2p_bar *b;
	int ret, dist, type;
	u32 id;

	KUNIT_ASSERT_EQ(test, pci_p2p_bar_register(t->pdev, t->bar, 0, 0, &b), 0);
	id = pci_p2p_bar_id(b);

	/* Not a PCI device, or none: refused, nothing cached, no reference. */
	kdev = kunit_device_register(test, "p2p_bar_kunit");
	KUNIT_ASSERT_FALSE(test, IS_ERR(kdev));
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_get_map(id, kdev, t->start, 1, &map), -EREMOTEIO);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_get_map(id, NULL, t->start, 1, &map), -EREMOTEIO);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_map_type(b, kdev), -EREMOTEIO);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_map_type(b, NULL), -EREMOTEIO);
	KUNIT_EXPECT_EQ(test, refcount_read(&b->ref), 1);
	KUNIT_EXPECT_TRUE(test, xa_empty(&b->map_types));

	client = p2p_test_other(t);
	if (client) {
		/* The kernel's own verdict for this pair is the reference. */
		dist = pci_p2pdma_distance(t->pdev, &client->dev, false);
		/* Asked first, so that it fills the cache get_map() reads. */
		type = pci_p2p_bar_map_type(b, &client->dev);
		ret = pci_p2p_bar_get_map(id, &client->dev, t->start, 1, &map);
		KUNIT_EXPECT_EQ(test, type, ret ? ret : map.type);
		kunit_info(test, "%s -> %s: distance %d, get_map %d type %d\n",
			   pci_name(client), pci_name(t->pdev), dist, ret,
			   ret ? -1 : map.type);
		if (dist < 0) {
			KUNIT_EXPECT_EQ(test, ret, -EREMOTEIO);
		} else {
			KUNIT_EXPECT_EQ(test, ret, 0);
			KUNIT_EXPECT_TRUE(test, map.type == DMA_SG_MAP_BUS_ADDR ||
					  map.type == DMA_SG_MAP_HOST_BRIDGE);
			if (!ret)
				pci_p2p_bar_put(id);
		}
		/* Cached either way, as the p2pdma type. */
		KUNIT_EXPECT_EQ(test, xa_to_value(xa_load(&b->map_types,
							  pci_p2pdma_client_idx(client))),
				dist < 0 ? PCI_P2PDMA_MAP_NOT_SUPPORTED :
				(map.type == DMA_SG_MAP_BUS_ADDR ?
				 PCI_P2PDMA_MAP_BUS_ADDR : PCI_P2PDMA_MAP_THRU_HOST_BRIDGE));
		pci_dev_put(client);
	}
	KUNIT_EXPECT_EQ(test, refcount_read(&b->ref), 1);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(b), 0);
	if (!client)
		kunit_skip(test, "no second PCI device to act as a client");
}

static void p2p_bar_test_unregister_busy(struct kunit *test)
{
	struct p2p_bar_test *t = test->priv;
	struct device *client = &t->pdev->dev;
	struct pci_p2p_bar_map map;
	struct pci_p2p_bar *b;
	u32 id;

	KUNIT_ASSERT_EQ(test, pci_p2p_bar_register(t->pdev, t->bar, 0, 0, &b), 0);
	id = pci_p2p_bar_id(b);
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_get_map(id, client, t->start, 1, &map), 0);
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_get_map(id, client, t->start, 1, &map), 0);

	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(b), -EBUSY);
	/* Still registered and usable. */
	KUNIT_EXPECT_PTR_EQ(test, p2p_test_provider(id), t->pdev);
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_get_map(id, client, t->start, 1, &map), 0);
	pci_p2p_bar_put(id);
	pci_p2p_bar_put(id);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(b), -EBUSY);
	KUNIT_EXPECT_EQ(test, p2p_test_kref(t->pdev), t->kref_base + 1);
	pci_p2p_bar_put(id);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(b), 0);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_get_map(id, client, t->start, 1, &map), -ENOENT);
}

/* A revocable user that holds one reference and puts it when told. */
struct p2p_test_revoker {
	struct pci_p2p_bar_revoker r;
	struct pci_p2p_bar *held;
	int calls;
	bool dying_seen;
};

static void p2p_test_revoke(struct pci_p2p_bar_revoker *r)
{
	struct p2p_test_revoker *x = container_of(r, struct p2p_test_revoker, r);

	x->calls++;
	if (x->held) {
		/* New references are refused before users are told. */
		x->dying_seen = READ_ONCE(x->held->dying);
		p2p_bar_put(x->held);
		x->held = NULL;
	}
}

struct p2p_sync_ctx {
	struct pci_p2p_bar *bar;
	u32 id;
	struct completion done;
};

static int p2p_sync_fn(void *data)
{
	struct p2p_sync_ctx *ctx = data;

	pci_p2p_bar_unregister_sync(ctx->bar);
	complete(&ctx->done);
	return 0;
}

static void p2p_bar_test_unregister_sync(struct kunit *test)
{
	struct p2p_bar_test *t = test->priv;
	struct device *client = &t->pdev->dev;
	struct p2p_test_revoker late = { .r.revoke = p2p_test_revoke };
	struct pci_p2p_bar_map map;
	struct task_struct *task;
	struct p2p_sync_ctx *ctx;
	struct pci_p2p_bar *b;
	int i, ret;

	/* Not kunit-managed: a hung waiter must not see it freed. */
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	init_completion(&ctx->done);
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_register(t->pdev, t->bar, 0, 0, &ctx->bar), 0);
	b = ctx->bar;
	ctx->id = pci_p2p_bar_id(b);
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_get_map(ctx->id, client, t->start, 1, &map), 0);
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_get_map(ctx->id, client, t->start, 1, &map), 0);

	task = kthread_run(p2p_sync_fn, ctx, "p2p_bar_sync");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	for (i = 0; i < 2000 && !READ_ONCE(b->dying); i++)
		usleep_range(1000, 2000);
	KUNIT_ASSERT_TRUE(test, READ_ONCE(b->dying));

	/*
	 * Draining: no new users, the old ones keep theirs, nothing freed.
	 * The held references keep the handle alive until they are put.
	 */
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_get_map(ctx->id, client, t->start, 1, &map),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(b), -ENOENT);
	ret = pci_p2p_bar_add_revoker(b, &late.r);
	KUNIT_EXPECT_EQ(test, ret, -ENOENT);
	/* Wrongly attached: detach it before the handle is freed. */
	if (!ret)
		pci_p2p_bar_del_revoker(&late.r);
	KUNIT_EXPECT_PTR_EQ(test, p2p_test_entry(ctx->id), b);
	pci_p2p_bar_put(ctx->id);
	msleep(20);
	KUNIT_EXPECT_FALSE(test, completion_done(&ctx->done));
	KUNIT_EXPECT_PTR_EQ(test, p2p_test_entry(ctx->id), b);

	pci_p2p_bar_put(ctx->id);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&ctx->done, 5 * HZ));
	KUNIT_EXPECT_NULL(test, p2p_test_entry(ctx->id));
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_get_map(ctx->id, client, t->start, 1, &map),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, late.calls, 0);
	kfree(ctx);
}

/*
 * unregister_sync() tells each attached user to let go, once, after new
 * references are refused, and then completes; a detached user is never
 * told.  The plain unregister refuses while a user is attached.
 */
static void p2p_bar_test_revoke(struct kunit *test)
{
	struct p2p_bar_test *t = test->priv;
	struct p2p_test_revoker a = {}, b = {};
	struct pci_p2p_bar *bar;
	u32 id;

	KUNIT_ASSERT_EQ(test, pci_p2p_bar_register(t->pdev, t->bar, 0, 0, &bar), 0);
	id = pci_p2p_bar_id(bar);
	a.r.revoke = p2p_test_revoke;
	b.r.revoke = p2p_test_revoke;
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_add_revoker(bar, &a.r), 0);
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_add_revoker(bar, &b.r), 0);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(bar), -EBUSY);
	a.held = p2p_bar_get(id);
	KUNIT_ASSERT_NOT_NULL(test, a.held);
	pci_p2p_bar_del_revoker(&b.r);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(bar), -EBUSY);
	KUNIT_EXPECT_NOT_NULL(test, p2p_test_entry(id));

	/* Would wait for ever if @a were not told to put its reference. */
	pci_p2p_bar_unregister_sync(bar);
	KUNIT_EXPECT_EQ(test, a.calls, 1);
	KUNIT_EXPECT_TRUE(test, a.dying_seen);
	KUNIT_EXPECT_NULL(test, a.held);
	KUNIT_EXPECT_EQ(test, b.calls, 0);
	KUNIT_EXPECT_NULL(test, p2p_test_entry(id));

	/*
	 * A revoked user may still detach.  The handle is freed now; a
	 * range going away refusing new users is unregister_sync's test.
	 */
	pci_p2p_bar_del_revoker(&a.r);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_add_revoker(NULL, &b.r), -EINVAL);
	KUNIT_EXPECT_EQ(test, b.calls, 0);
}

static void p2p_bar_test_exhaust(struct kunit *test)
{
	struct p2p_bar_test *t = test->priv;
	unsigned int free_ids = DMA_SG_BAR_ID_MAX - t->nr_base;
	struct pci_p2p_bar **bars, *extra = P2P_TEST_UNSET;
	unsigned long *seen;
	unsigned int n, i;
	int ret;
	u32 id;

	bars = kunit_kcalloc(test, DMA_SG_BAR_ID_MAX + 1, sizeof(*bars), GFP_KERNEL);
	seen = kunit_kcalloc(test, BITS_TO_LONGS(DMA_SG_BAR_ID_MAX + 1),
			     sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bars);
	KUNIT_ASSERT_NOT_NULL(test, seen);

	/* One more try than there are ids: the last must fail. */
	for (n = 0; n <= DMA_SG_BAR_ID_MAX; n++) {
		ret = pci_p2p_bar_register(t->pdev, t->bar, 0, 0, &bars[n]);
		if (ret)
			break;
		id = pci_p2p_bar_id(bars[n]);
		KUNIT_EXPECT_GE(test, id, 1);
		KUNIT_EXPECT_LE(test, id, DMA_SG_BAR_ID_MAX);
		KUNIT_EXPECT_FALSE(test, __test_and_set_bit(id, seen));
	}
	kunit_info(test, "%u ids registered at once, %u were in use before\n",
		   n, t->nr_base);
	KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
	KUNIT_EXPECT_EQ(test, n, free_ids);
	KUNIT_EXPECT_GE(test, n, 256);
	KUNIT_EXPECT_EQ(test, p2p_test_kref(t->pdev), t->kref_base + n);

	/* Full: refused, nothing changes. */
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_register(t->pdev, t->bar, 0, 0, &extra), -ENOSPC);
	KUNIT_EXPECT_PTR_EQ(test, extra, P2P_TEST_UNSET);
	KUNIT_EXPECT_EQ(test, p2p_test_kref(t->pdev), t->kref_base + n);

	/* One freed id is found again however far the cursor has moved. */
	if (n) {
		id = pci_p2p_bar_id(bars[n / 2]);
		KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(bars[n / 2]), 0);
		/* Freed: if no new handle comes, the loop below meets NULL. */
		bars[n / 2] = NULL;
		ret = pci_p2p_bar_register(t->pdev, t->bar, 0, 0, &bars[n / 2]);
		KUNIT_EXPECT_EQ(test, ret, 0);
		if (!ret)
			KUNIT_EXPECT_EQ(test, pci_p2p_bar_id(bars[n / 2]), id);
	}

	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(bars[i]), 0);
}

static void p2p_bar_test_id_reuse_delayed(struct kunit *test)
{
	struct p2p_bar_test *t = test->priv;
	struct pci_p2p_bar *a, *b;
	u32 id;

	/* A freed id is not the next one handed out (the memory may be). */
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_register(t->pdev, t->bar, 0, 0, &a), 0);
	id = pci_p2p_bar_id(a);
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_unregister(a), 0);
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_register(t->pdev, t->bar, 0, 0, &b), 0);
	KUNIT_EXPECT_NE(test, id, pci_p2p_bar_id(b));
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(b), 0);
}

static void p2p_bar_test_register_nomem(struct kunit *test)
{
	struct p2p_bar_test *t = test->priv;
	unsigned int n, failed = 0;
	struct kunit_fail_nth fail;
	struct pci_p2p_bar *b = P2P_TEST_UNSET;
	int ret = -ENOMEM;

	if (kunit_fail_nth_init(&fail, 0))
		kunit_skip(test, "needs CONFIG_FAILSLAB");
	for (n = 1; n <= 8; n++) {
		kunit_fail_nth_arm(&fail, n);
		ret = p2p_bar_register(t->pdev, t->bar, 0, 0,
				       GFP_NOWAIT | __GFP_NOWARN, &b);
		kunit_fail_nth_disarm(&fail);
		if (!ret)
			break;
		failed++;
		KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
		KUNIT_EXPECT_PTR_EQ(test, b, P2P_TEST_UNSET);
		KUNIT_EXPECT_EQ(test, p2p_test_nr_registered(), t->nr_base);
		KUNIT_EXPECT_EQ(test, p2p_test_kref(t->pdev), t->kref_base);
	}
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_GE(test, failed, 1);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(b), 0);
}

static void p2p_bar_test_cache_nomem(struct kunit *test)
{
	struct p2p_bar_test *t = test->priv;
	struct pci_p2p_bar_map map, ref_map;
	struct kunit_fail_nth fail;
	struct pci_dev *client;
	unsigned long idx;
	unsigned int n, injected = 0;
	struct pci_p2p_bar *b;
	int ref_ret, ret;
	u32 id;

	if (kunit_fail_nth_init(&fail, 0))
		kunit_skip(test, "needs CONFIG_FAILSLAB");
	client = p2p_test_other(t);
	if (!client)
		kunit_skip(test, "no second PCI device to act as a client");
	idx = pci_p2pdma_client_idx(client);
	if (!idx) {
		pci_dev_put(client);
		kunit_skip(test, "client index 0 is stored without allocating");
	}

	KUNIT_ASSERT_EQ(test, pci_p2p_bar_register(t->pdev, t->bar, 0, 0, &b), 0);
	id = pci_p2p_bar_id(b);
	ref_ret = pci_p2p_bar_get_map(id, &client->dev, t->start, 1, &ref_map);
	if (!ref_ret)
		pci_p2p_bar_put(id);

	/* Fail each allocation point of a cache miss in turn. */
	for (n = 1; n <= 8; n++) {
		xa_destroy(&b->map_types);
		atomic64_set(&b->last_client, 0);
		kunit_fail_nth_arm(&fail, n);
		ret = pci_p2p_bar_get_map(id, &client->dev, t->start, 1, &map);
		if (kunit_fail_nth_disarm(&fail))
			n = 8;	/* fewer than n points: all were covered */
		else
			injected++;
		/* The cache is only a cache: the answer never changes. */
		KUNIT_EXPECT_EQ(test, ret, ref_ret);
		if (!ret) {
			KUNIT_EXPECT_EQ(test, map.type, ref_map.type);
			pci_p2p_bar_put(id);
		}
		KUNIT_EXPECT_EQ(test, refcount_read(&b->ref), 1);
	}
	kunit_info(test, "%u allocation failures injected on a cache miss\n", injected);
	KUNIT_EXPECT_GE(test, injected, 1);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(b), 0);
	pci_dev_put(client);
}

/* One reference per BAR, however the ranges of three BARs interleave. */
static void p2p_bar_test_refs(struct kunit *test)
{
	struct p2p_bar_test *t = test->priv;
	struct device *client = &t->pdev->dev;
	const struct pci_p2p_bar_map *m;
	struct pci_p2p_bar_refs r;
	struct pci_p2p_bar *b[3];
	phys_addr_t pa;
	u32 id[3];
	int i, k;

	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_EQ(test, pci_p2p_bar_register(t->pdev, t->bar, i * SZ_1M,
							   SZ_1M, &b[i]), 0);
		id[i] = pci_p2p_bar_id(b[i]);
	}
	pci_p2p_bar_refs_init(&r);
	for (k = 0; k < 12; k++) {
		i = k % 3;
		pa = t->start + i * SZ_1M + k * SZ_4K;
		m = pci_p2p_bar_refs_lookup(&r, id[i], client, pa, SZ_4K, GFP_KERNEL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(m));
		KUNIT_EXPECT_EQ(test, m->start, t->start + i * SZ_1M);
		KUNIT_EXPECT_EQ(test, pci_p2p_bar_bus_addr(m, pa),
				(dma_addr_t)(pci_bus_address(t->pdev, t->bar) +
					     i * SZ_1M + k * SZ_4K));
		KUNIT_EXPECT_EQ(test, refcount_read(&b[i]->ref), 2);
	}
	KUNIT_EXPECT_EQ(test, r.nr, 3U);

	/* Outside a held BAR's range, or an unknown id: no reference taken. */
	m = pci_p2p_bar_refs_lookup(&r, id[1], client, t->start, SZ_4K, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(m), -EINVAL);
	m = pci_p2p_bar_refs_lookup(&r, id[1], client, t->start + 2 * SZ_1M - 1, 2,
				    GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(m), -EINVAL);
	m = pci_p2p_bar_refs_lookup(&r, 0, client, t->start, SZ_4K, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(m), -ENOENT);
	KUNIT_EXPECT_EQ(test, r.nr, 3U);

	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(b[0]), -EBUSY);
	pci_p2p_bar_refs_release(&r);
	KUNIT_EXPECT_EQ(test, r.nr, 0U);
	KUNIT_EXPECT_PTR_EQ(test, r.refs, &r.inline_refs[0]);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, refcount_read(&b[i]->ref), 1);
		KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(b[i]), 0);
	}
}

/* Growing the set fails: -ENOMEM, the new BAR's reference dropped. */
static void p2p_bar_test_refs_nomem(struct kunit *test)
{
	struct p2p_bar_test *t = test->priv;
	struct device *client = &t->pdev->dev;
	const struct pci_p2p_bar_map *m;
	struct kunit_fail_nth fail;
	struct pci_p2p_bar_refs r;
	struct pci_p2p_bar_map map;
	struct pci_p2p_bar *b[2];
	u32 id[2];
	int i;

	if (kunit_fail_nth_init(&fail, 0))
		kunit_skip(test, "needs CONFIG_FAILSLAB");
	for (i = 0; i < 2; i++) {
		KUNIT_ASSERT_EQ(test, pci_p2p_bar_register(t->pdev, t->bar, i * SZ_1M,
							   SZ_1M, &b[i]), 0);
		id[i] = pci_p2p_bar_id(b[i]);
	}
	pci_p2p_bar_refs_init(&r);
	m = pci_p2p_bar_refs_lookup(&r, id[0], client, t->start, SZ_4K, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(m));
	/* Fill the second BAR's map-type cache, so only the set allocates. */
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_get_map(id[1], client, t->start + SZ_1M,
						  SZ_4K, &map), 0);
	pci_p2p_bar_put(id[1]);
	/* The second BAR does not fit the inline storage: it allocates. */
	kunit_fail_nth_arm(&fail, 1);
	m = pci_p2p_bar_refs_lookup(&r, id[1], client, t->start + SZ_1M, SZ_4K,
				    GFP_NOWAIT | __GFP_NOWARN);
	kunit_fail_nth_disarm(&fail);
	KUNIT_EXPECT_EQ(test, PTR_ERR(m), -ENOMEM);
	KUNIT_EXPECT_EQ(test, r.nr, 1U);
	KUNIT_EXPECT_EQ(test, refcount_read(&b[1]->ref), 1);
	/* The set is as it was: the first BAR still answers. */
	m = pci_p2p_bar_refs_lookup(&r, id[0], client, t->start + SZ_4K, SZ_4K,
				    GFP_KERNEL);
	KUNIT_EXPECT_FALSE(test, IS_ERR(m));
	pci_p2p_bar_refs_release(&r);
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(b[i]), 0);
}

struct p2p_race_ctx {
	struct pci_p2p_bar *bar;
	u32 id;
	phys_addr_t start;
	struct device *client;
	unsigned long ok, gone, bad;
	struct completion done;
};

static int p2p_race_fn(void *data)
{
	struct p2p_race_ctx *ctx = data;
	struct pci_p2p_bar_map map;
	int ret;

	for (;;) {
		ret = pci_p2p_bar_get_map(ctx->id, ctx->client, ctx->start, 1, &map);
		if (ret == -ENOENT) {
			ctx->gone++;
			break;
		}
		if (ret || map.start != ctx->start) {
			ctx->bad++;
			break;
		}
		ctx->ok++;
		/* Let unregister run both while we hold a reference and not. */
		cond_resched();
		pci_p2p_bar_put(ctx->id);
		cond_resched();
	}
	complete(&ctx->done);
	return 0;
}

/*
 * Lock-free lookups racing unregister: each get either works or sees
 * -ENOENT.  The reader is bound to a CPU other than the one the test
 * starts on, so that the two can overlap; on one CPU they would only
 * interleave.
 */
static void p2p_bar_test_race(struct kunit *test)
{
	struct p2p_bar_test *t = test->priv;
	struct p2p_race_ctx *ctx;
	struct task_struct *task;
	unsigned long busy = 0, starved = 0;
	int round, ret, cpu;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs a second CPU to race on");
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->start = t->start;
	ctx->client = &t->pdev->dev;
	for (round = 0; round < 20; round++) {
		init_completion(&ctx->done);
		KUNIT_ASSERT_EQ(test, pci_p2p_bar_register(t->pdev, t->bar, 0, 0,
							   &ctx->bar), 0);
		/* The reader looks up by id, as the mapping path does. */
		ctx->id = pci_p2p_bar_id(ctx->bar);
		task = kthread_create(p2p_race_fn, ctx, "p2p_bar_race");
		KUNIT_ASSERT_FALSE(test, IS_ERR(task));
		cpu = cpumask_any_but(cpu_online_mask, raw_smp_processor_id());
		kthread_bind(task, cpu);
		wake_up_process(task);
		usleep_range(2000, 3000);
		while ((ret = pci_p2p_bar_unregister(ctx->bar)) == -EBUSY &&
		       busy < 10000000) {
			busy++;
			cond_resched();
		}
		/*
		 * -EBUSY is the contract while a reference is held; whether
		 * the reader ever lets go in time is up to the scheduler, so
		 * a starved round ends through unregister_sync(), which must.
		 */
		KUNIT_EXPECT_TRUE(test, ret == 0 || ret == -EBUSY);
		if (ret) {
			starved++;
			pci_p2p_bar_unregister_sync(ctx->bar);
		}
		KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&ctx->done, 5 * HZ));
	}
	kunit_info(test, "%lu gets, %lu refused unregisters, %lu ends, %lu starved\n",
		   ctx->ok, busy, ctx->gone, starved);
	KUNIT_EXPECT_EQ(test, ctx->bad, 0);
	KUNIT_EXPECT_EQ(test, ctx->gone, 20);
	KUNIT_EXPECT_GT(test, ctx->ok, 0);
	kfree(ctx);
}

static void p2p_bar_test_devm(struct kunit *test)
{
	struct p2p_bar_test *t = test->priv;
	struct pci_p2p_bar_map map;
	struct pci_p2p_bar *b = P2P_TEST_UNSET;
	void *grp;
	u32 id;
	int ret;

	grp = devres_open_group(&t->pdev->dev, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, grp);
	KUNIT_EXPECT_EQ(test, devm_pci_p2p_bar_register(t->pdev, t->bar, t->len, 0, &b),
			-EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, b, P2P_TEST_UNSET);
	KUNIT_ASSERT_EQ(test, devm_pci_p2p_bar_register(t->pdev, t->bar, 0, 0, &b), 0);
	id = pci_p2p_bar_id(b);
	ret = pci_p2p_bar_get_map(id, &t->pdev->dev, t->start, 1, &map);
	KUNIT_EXPECT_EQ(test, ret, 0);
	if (!ret)
		pci_p2p_bar_put(id);
	KUNIT_EXPECT_EQ(test, p2p_test_nr_registered(), t->nr_base + 1);
	/* Only the detach unregisters it: it would free what devres holds. */
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(b), -EINVAL);
	pci_p2p_bar_unregister_sync(b);
	KUNIT_EXPECT_PTR_EQ(test, p2p_test_entry(id), b);
	/* What a driver detach does. */
	devres_release_group(&t->pdev->dev, grp);
	KUNIT_EXPECT_NULL(test, p2p_test_entry(id));
}

/* A driver that registers its device's BAR in probe() and may forget it. */
static struct p2p_bar_test *p2p_test_probing;
static struct pci_p2p_bar *p2p_test_probed;

static int p2p_test_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	return pci_p2p_bar_register(pdev, p2p_test_probing->bar, 0, 0,
				    &p2p_test_probed);
}

static struct pci_driver p2p_test_driver = {
	.name = "p2p_bar_kunit",
	.probe = p2p_test_probe,
};

/* Bind the lent device to the driver above; its registration, or NULL. */
static struct pci_p2p_bar *p2p_test_bind(struct kunit *test,
					 struct p2p_bar_test *t)
{
	p2p_test_probing = t;
	p2p_test_probed = NULL;
	KUNIT_EXPECT_EQ(test, device_driver_attach(&p2p_test_driver.driver,
						   &t->pdev->dev), 0);
	return p2p_test_probed;
}

/*
 * A registration made while a driver is bound belongs to the binding:
 * one that outlives it is reported at unbind, once, and stays
 * registered, since only its owner may unregister it.
 */
static void p2p_bar_test_outlived(struct kunit *test)
{
	struct p2p_bar_test *t = test->priv;
	struct device *dev = &t->pdev->dev;
	struct pci_p2p_bar *b;
	int ret;

	KUNIT_ASSERT_EQ(test, pci_p2p_bar_register(t->pdev, t->bar, 0, 0, &b), 0);
	KUNIT_EXPECT_FALSE(test, b->bound);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(b), 0);

	/* Open-coded device_has_driver_override(): sparse follows this one. */
	spin_lock(&dev->driver_override.lock);
	ret = !!dev->driver_override.name;
	spin_unlock(&dev->driver_override.lock);
	if (ret)
		kunit_skip(test, "%s already has a driver override", dev_name(dev));
	KUNIT_ASSERT_EQ(test, pci_register_driver(&p2p_test_driver), 0);
	ret = device_set_driver_override(dev, p2p_test_driver.name);
	if (ret) {
		pci_unregister_driver(&p2p_test_driver);
		KUNIT_FAIL(test, "device_set_driver_override: %d", ret);
		return;
	}

	/* Forgotten by remove(): reported at unbind, still registered. */
	b = p2p_test_bind(test, t);
	KUNIT_EXPECT_NOT_NULL(test, b);
	if (b)
		KUNIT_EXPECT_TRUE(test, b->bound);
	device_release_driver(dev);
	if (b) {
		KUNIT_EXPECT_FALSE(test, b->bound);
		KUNIT_EXPECT_PTR_EQ(test, p2p_test_entry(pci_p2p_bar_id(b)), b);
		KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(b), 0);
	}

	/* Unregistered while bound: nothing is left to report. */
	b = p2p_test_bind(test, t);
	KUNIT_EXPECT_NOT_NULL(test, b);
	if (b)
		KUNIT_EXPECT_EQ(test, pci_p2p_bar_unregister(b), 0);
	device_release_driver(dev);

	KUNIT_EXPECT_EQ(test, device_set_driver_override(dev, ""), 0);
	pci_unregister_driver(&p2p_test_driver);
	KUNIT_EXPECT_EQ(test, p2p_test_nr_registered(), t->nr_base);
}

#if IS_ENABLED(CONFIG_DMA_SG_MAP)
/* The bus address of a page of the test BAR, from the BAR's resources. */
static dma_addr_t p2p_test_bus(struct p2p_bar_test *t, struct page *page)
{
	return pci_bus_address(t->pdev, t->bar) + page_to_phys(page) -
	       pci_resource_start(t->pdev, t->bar);
}

/*
 * P2PDMA pages of two pgmaps handed to dma_sg_map_pages(), and as one
 * bio_vec each to dma_sg_map_bvecs(), between RAM pages map as
 * dma_map_sg() maps them: by the BAR's bus address, each run its own
 * table entry, with one reference per registered range until the unmap;
 * never as RAM.  Runs of a pgmap that follow its first one, and the runs
 * after the second pgmap's lookup moved the map's references, map from
 * what was learnt.  With no records kept (dma-debug off), RAM before a
 * P2PDMA page goes through the dma-direct loops, which must hand over to
 * the general path there; the log says which path ran.
 */
static void p2p_bar_test_map_one(struct kunit *test, struct p2p_bar_test *t,
				 struct page **pages, bool bvecs,
				 struct pci_p2p_bar *ba, struct pci_p2p_bar *bb)
{
	struct device *dev = &t->pdev->dev;
	struct bio_vec bv[8];
	struct dma_sg_map m = {};
	struct dma_sg_iter it;
	dma_addr_t want[7];
	struct dma_sg *sg;
	int i, ret;

	for (i = 0; i < 8; i++)
		bvec_set_page(&bv[i], pages[i], PAGE_SIZE, 0);
	if (bvecs)
		ret = dma_sg_map_bvecs(&m, dev, bv, 8, DMA_BIDIRECTIONAL, 0,
				       GFP_KERNEL);
	else
		ret = dma_sg_map_pages(&m, dev, pages, 8, 0, 8 * PAGE_SIZE,
				       DMA_BIDIRECTIONAL, 0, GFP_KERNEL);
	if (ret) {
		KUNIT_FAIL(test, "dma_sg_map_%s(): %d", bvecs ? "bvecs" : "pages",
			   ret);
		return;
	}
	want[0] = phys_to_dma(dev, page_to_phys(pages[0]));
	want[1] = p2p_test_bus(t, pages[1]);
	want[2] = phys_to_dma(dev, page_to_phys(pages[3]));
	want[3] = p2p_test_bus(t, pages[4]);
	want[4] = p2p_test_bus(t, pages[5]);
	want[5] = p2p_test_bus(t, pages[6]);
	want[6] = p2p_test_bus(t, pages[7]);
	kunit_info(test, "dma_sg_map_%s() mapped P2PDMA pages %s\n",
		   bvecs ? "bvecs" : "pages",
		   m.recs ? "range by range (records kept)" :
		   "with no records kept");
	KUNIT_EXPECT_EQ(test, dma_sg_table_nents(&m.table), 7ULL);
	KUNIT_EXPECT_EQ(test, dma_sg_table_len(&m.table), 8 * PAGE_SIZE);
	i = 0;
	dma_sg_for_each(&m.table, sg, it) {
		if (i < 7 && !dma_sg_map_is_collapsed(&m)) {
			KUNIT_EXPECT_EQ_MSG(test, sg->addr, want[i], "entry %d", i);
			KUNIT_EXPECT_EQ_MSG(test, sg->len, i == 1 ? 2 * PAGE_SIZE :
					    PAGE_SIZE, "entry %d", i);
		}
		i++;
	}
	/*
	 * One reference on each registered range for the whole map, beside
	 * the registry's.  The handles are the pgmaps', so they are not the
	 * test's to unregister.
	 */
	KUNIT_EXPECT_EQ(test, m.p2p.nr, 2U);
	KUNIT_EXPECT_EQ(test, refcount_read(&ba->ref), 2);
	KUNIT_EXPECT_EQ(test, refcount_read(&bb->ref), 2);
	dma_sg_unmap(&m);
	KUNIT_EXPECT_EQ(test, m.p2p.nr, 0U);
	KUNIT_EXPECT_EQ(test, refcount_read(&ba->ref), 1);
	KUNIT_EXPECT_EQ(test, refcount_read(&bb->ref), 1);
}

static void p2p_bar_test_map_pages(struct kunit *test, struct p2p_bar_test *t,
				   struct page *a, struct pci_p2p_bar *ba,
				   struct page *b, struct pci_p2p_bar *bb)
{
	struct page *ram = alloc_pages(GFP_KERNEL, 1);
	struct device *dev = &t->pdev->dev;
	u64 mask = dma_get_mask(dev);
	struct page *pages[8];
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, ram);
	/* The test BAR sits above 4 GiB; the device has no driver to say so. */
	ret = dma_set_mask(dev, DMA_BIT_MASK(64));
	if (ret) {
		__free_pages(ram, 1);
		KUNIT_FAIL(test, "dma_set_mask(): %d", ret);
		return;
	}
	pages[0] = ram;
	pages[1] = a;
	pages[2] = a + 1;
	pages[3] = ram + 1;
	pages[4] = a + 3;
	pages[5] = b;
	pages[6] = b + 2;
	pages[7] = a + 5;
	p2p_bar_test_map_one(test, t, pages, false, ba, bb);
	p2p_bar_test_map_one(test, t, pages, true, ba, bb);
	dma_set_mask(dev, mask);
	__free_pages(ram, 1);
}
#else
static void p2p_bar_test_map_pages(struct kunit *test, struct p2p_bar_test *t,
				   struct page *a, struct pci_p2p_bar *ba,
				   struct page *b, struct pci_p2p_bar *bb)
{
	kunit_info(test, "no dma_sg_map_pages() check: needs CONFIG_DMA_SG_MAP\n");
}
#endif

static void p2p_test_release_group(void *data)
{
	struct p2p_bar_test *t = data;

	devres_release_group(&t->pdev->dev, t->grp);
}

static void p2p_bar_test_page(struct kunit *test)
{
	struct p2p_bar_test *t = test->priv;
	struct pci_p2p_bar *b, *b2;
	struct pci_p2p_bar_map map;
	struct page *page, *ram;
	u32 id = 0xdead, id2;
	void *buf;
	int ret;

	buf = kunit_kmalloc(test, 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	ram = virt_to_page(buf);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_id_from_page(ram, &id), -EINVAL);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_id_from_page(NULL, &id), -EINVAL);
	KUNIT_EXPECT_EQ(test, id, 0xdead);

	/*
	 * The group undoes pci_p2pdma_add_resource() as a driver unbind does,
	 * also when an assertion ends the case early.
	 */
	t->grp = devres_open_group(&t->pdev->dev, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->grp);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, p2p_test_release_group,
							t), 0);
	/* Two pgmaps in one BAR; memory hotplug takes 2 MiB at least. */
	ret = pci_p2pdma_add_resource(t->pdev, t->bar, SZ_2M, 0);
	if (!ret)
		ret = pci_p2pdma_add_resource(t->pdev, t->bar, SZ_2M, SZ_2M);
	if (ret)
		kunit_skip(test, "pci_p2pdma_add_resource() failed: %d", ret);
	KUNIT_EXPECT_EQ(test, p2p_test_nr_registered(), t->nr_base + 2);

	page = pfn_to_page(PHYS_PFN(t->start + SZ_8K));
	KUNIT_ASSERT_TRUE(test, is_pci_p2pdma_page(page));
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_id_from_page(page, &id), 0);
	b = p2p_test_entry(id);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, b->start, t->start);
	KUNIT_EXPECT_EQ(test, b->size, SZ_2M);

	/* The page maps through the page-less path. */
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_get_map(id, &t->pdev->dev, page_to_phys(page),
						  PAGE_SIZE, &map), 0);
	KUNIT_EXPECT_EQ(test, map.type, DMA_SG_MAP_BUS_ADDR);
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_bus_addr(&map, page_to_phys(page)),
			(dma_addr_t)(pci_bus_address(t->pdev, t->bar) + SZ_8K));
	/* Not inside the pgmap's range: the id is for the range, not the BAR. */
	KUNIT_EXPECT_EQ(test, pci_p2p_bar_get_map(id, &t->pdev->dev,
						  t->start + SZ_2M, 1, &map),
			-EINVAL);
	pci_p2p_bar_put(id);

	/* The second pgmap has an id of its own, for its own range. */
	KUNIT_ASSERT_EQ(test, pci_p2p_bar_id_from_page(page + SZ_2M / PAGE_SIZE,
						       &id2), 0);
	KUNIT_EXPECT_NE(test, id2, id);
	b2 = p2p_test_entry(id2);
	KUNIT_ASSERT_NOT_NULL(test, b2);
	KUNIT_EXPECT_EQ(test, b2->start, t->start + SZ_2M);
	KUNIT_EXPECT_EQ(test, b2->size, SZ_2M);
	p2p_bar_test_map_pages(test, t, page, b,
			       pfn_to_page(PHYS_PFN(t->start + SZ_2M)), b2);

	/* Unbind: the ids go away with the pages. */
	kunit_release_action(test, p2p_test_release_group, t);
	KUNIT_EXPECT_NULL(test, p2p_test_entry(id));
	KUNIT_EXPECT_NULL(test, p2p_test_entry(id2));
	KUNIT_EXPECT_EQ(test, p2p_test_nr_registered(), t->nr_base);
}

static struct kunit_case p2p_bar_test_cases[] = {
	KUNIT_CASE(p2p_bar_test_register_bad),
	KUNIT_CASE(p2p_bar_test_register_fields),
	KUNIT_CASE(p2p_bar_test_get_map_range),
	KUNIT_CASE(p2p_bar_test_get_map_phys),
	KUNIT_CASE(p2p_bar_test_phys_set),
	KUNIT_CASE(p2p_bar_test_map_type_same),
	KUNIT_CASE(p2p_bar_test_map_type_other),
	KUNIT_CASE(p2p_bar_test_unregister_busy),
	KUNIT_CASE(p2p_bar_test_unregister_sync),
	KUNIT_CASE(p2p_bar_test_revoke),
	KUNIT_CASE(p2p_bar_test_exhaust),
	KUNIT_CASE(p2p_bar_test_id_reuse_delayed),
	KUNIT_CASE(p2p_bar_test_register_nomem),
	KUNIT_CASE(p2p_bar_test_cache_nomem),
	KUNIT_CASE(p2p_bar_test_refs),
	KUNIT_CASE(p2p_bar_test_refs_nomem),
	KUNIT_CASE(p2p_bar_test_race),
	KUNIT_CASE(p2p_bar_test_devm),
	KUNIT_CASE(p2p_bar_test_outlived),
	KUNIT_CASE(p2p_bar_test_page),
	{}
};

static struct kunit_suite p2p_bar_test_suite = {
	.name = "pci_p2p_bar",
	.init = p2p_bar_test_init,
	.exit = p2p_bar_test_exit,
	.test_cases = p2p_bar_test_cases,
};

kunit_test_suite(p2p_bar_test_suite);
