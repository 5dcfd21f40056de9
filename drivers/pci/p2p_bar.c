// SPDX-License-Identifier: GPL-2.0
/*
 * Page-less PCI peer-to-peer BAR registry
 *
 * A provider registers a range of a memory BAR and gets an id from 1 to
 * DMA_SG_BAR_ID_MAX, the BAR id of a struct dma_sg_phys.  No memmap and
 * no struct page are created.  The mapping path turns an id into the
 * range, the bus offset and the map type for a client with one array load
 * under RCU, with no lock and no tree search.
 *
 * See Documentation/driver-api/pci/p2p-bar.rst.
 */
#define pr_fmt(fmt) "pci-p2p-bar: " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/dma-map-ops.h>
#include <linux/export.h>
#include <linux/memremap.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-p2p-bar.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>
#include "pci.h"
#include "p2p_bar.h"

/*
 * Ids are small and dense, so a plain array indexed by id is the lookup:
 * one load, where xa_load() walks three levels of nodes for the higher
 * ids.  It costs 32 KiB, allocated at the first registration and kept.
 * Registration is rare and sleeps; it scans the array under the mutex.
 * Allocation is cyclic so that a freed id is not handed out again at
 * once, which makes a stale id in a caller's table fail the range check
 * rather than hit a new BAR.
 */
VISIBLE_IF_KUNIT struct pci_p2p_bar __rcu **p2p_bars;
VISIBLE_IF_KUNIT struct mutex p2p_bars_lock =
	__MUTEX_INITIALIZER(p2p_bars_lock);
static u32 p2p_bar_next_id = 1;
/*
 * Orders revoke callbacks against pci_p2p_bar_del_revoker(): a user that
 * goes away waits for its callback to finish.  Taken before any lock a
 * callback takes (a dma-buf's reservation lock), never under one.
 */
static DEFINE_MUTEX(p2p_bar_revoke_lock);

/* The slot of @id; NULL for an id out of range or before any table. */
static struct pci_p2p_bar __rcu **p2p_bar_slot(u32 id)
{
	/* Pairs with the release that publishes the zeroed table. */
	struct pci_p2p_bar __rcu **table = smp_load_acquire(&p2p_bars);

	if (!table || !id || id > DMA_SG_BAR_ID_MAX)
		return NULL;
	return &table[id];
}

VISIBLE_IF_KUNIT struct pci_p2p_bar *p2p_bar_locked(u32 id)
{
	struct pci_p2p_bar __rcu **slot = p2p_bar_slot(id);

	if (!slot)
		return NULL;
	return rcu_dereference_protected(*slot,
					 lockdep_is_held(&p2p_bars_lock));
}

/* Take a reference on entry @id; NULL if there is none. */
VISIBLE_IF_KUNIT struct pci_p2p_bar *p2p_bar_get(u32 id)
{
	struct pci_p2p_bar __rcu **slot = p2p_bar_slot(id);
	struct pci_p2p_bar *b;

	if (!slot)
		return NULL;
	rcu_read_lock();
	b = rcu_dereference(*slot);
	if (b && !refcount_inc_not_zero(&b->ref))
		b = NULL;
	rcu_read_unlock();
	return b;
}

VISIBLE_IF_KUNIT void p2p_bar_put(struct pci_p2p_bar *b)
{
	/* Only reaches zero once the registry dropped its own reference. */
	if (refcount_dec_and_test(&b->ref))
		complete(&b->released);
}

/* @b is out of the array and its count is zero: nobody can reach it. */
static void p2p_bar_free(struct pci_p2p_bar *b)
{
	xa_destroy(&b->map_types);
	pci_dev_put(b->pdev);
	kfree_rcu(b, rcu);
}

static int p2p_bar_check(struct pci_dev *pdev, int bar, u64 offset,
			 u64 *size)
{
	unsigned long flags;
	u64 len;

	if (!pdev || bar < 0 || bar >= PCI_STD_NUM_BARS)
		return -EINVAL;
	flags = pci_resource_flags(pdev, bar);
	if (!(flags & IORESOURCE_MEM) || (flags & IORESOURCE_UNSET))
		return -EINVAL;
	len = pci_resource_len(pdev, bar);
	if (offset >= len)
		return -EINVAL;
	if (!*size)
		*size = len - offset;
	if (*size > len - offset)
		return -EINVAL;
	return 0;
}

VISIBLE_IF_KUNIT int p2p_bar_register(struct pci_dev *pdev, int bar, u64 offset,
				      u64 size, gfp_t gfp,
				      struct pci_p2p_bar **barp)
{
	struct pci_p2p_bar *b;
	u32 i, n;
	int ret;

	ret = p2p_bar_check(pdev, bar, offset, &size);
	if (ret)
		return ret;

	b = kzalloc(sizeof(*b), gfp);
	if (!b)
		return -ENOMEM;
	/*
	 * Racy against an unbind, as any registration from outside probe()
	 * is: one that slips past it is reported at the next unbind.
	 */
	b->bound = READ_ONCE(pdev->dev.driver);
	refcount_set(&b->ref, 1);
	b->pdev = pci_dev_get(pdev);
	b->bar = bar;
	b->start = pci_resource_start(pdev, bar) + offset;
	b->size = size;
	/* The host bridge may translate: never assume bus == CPU address. */
	b->bus_offset = pci_bus_address(pdev, bar) -
			pci_resource_start(pdev, bar);
	/* Filled on the mapping path, which may run with interrupts off. */
	xa_init_flags(&b->map_types, XA_FLAGS_LOCK_IRQ);
	init_completion(&b->released);
	INIT_LIST_HEAD(&b->revokers);

	mutex_lock(&p2p_bars_lock);
	if (!p2p_bars) {
		struct pci_p2p_bar __rcu **table;

		table = kvcalloc(DMA_SG_BAR_ID_MAX + 1, sizeof(*table), gfp);
		if (!table) {
			mutex_unlock(&p2p_bars_lock);
			pci_dev_put(pdev);
			kfree(b);
			return -ENOMEM;
		}
		/* Lock-free readers see the table only once it is zeroed. */
		smp_store_release(&p2p_bars, table);
	}
	for (n = 0, i = p2p_bar_next_id; n < DMA_SG_BAR_ID_MAX;
	     n++, i = i % DMA_SG_BAR_ID_MAX + 1) {
		if (!rcu_access_pointer(p2p_bars[i]))
			break;
	}
	if (n < DMA_SG_BAR_ID_MAX) {
		b->id = i;
		rcu_assign_pointer(p2p_bars[i], b);
		p2p_bar_next_id = i % DMA_SG_BAR_ID_MAX + 1;
	}
	mutex_unlock(&p2p_bars_lock);

	if (n == DMA_SG_BAR_ID_MAX) {
		pci_dev_put(pdev);
		kfree(b);
		return -ENOSPC;
	}
	*barp = b;
	return 0;
}

/*
 * A registration made while a driver is bound to its provider belongs to
 * that binding: remove() must unregister it, or its bus addresses stay
 * reachable with no driver in charge of the BAR.  By the time the bus
 * says the driver is gone, its devres has run, devm registrations
 * included, so whatever is left was forgotten: report it, once.  The
 * registry cannot tell the range's users to let go on its owner's behalf.
 */
static int p2p_bar_unbound(struct notifier_block *nb, unsigned long action,
			   void *data)
{
	struct device *dev = data;
	struct pci_p2p_bar *b;
	u32 id;

	if (action != BUS_NOTIFY_UNBOUND_DRIVER &&
	    action != BUS_NOTIFY_DRIVER_NOT_BOUND)
		return NOTIFY_DONE;
	mutex_lock(&p2p_bars_lock);
	for (id = 1; p2p_bars && id <= DMA_SG_BAR_ID_MAX; id++) {
		b = p2p_bar_locked(id);
		if (!b || !b->bound || &b->pdev->dev != dev)
			continue;
		b->bound = false;
		pci_warn(b->pdev, "P2P BAR id %u (BAR %d) outlived the driver binding that registered it\n",
			 id, b->bar);
	}
	mutex_unlock(&p2p_bars_lock);
	return NOTIFY_DONE;
}

static struct notifier_block p2p_bar_nb = {
	.notifier_call = p2p_bar_unbound,
};

/* After pci_driver_init() has registered the bus, before drivers bind. */
static int __init p2p_bar_init(void)
{
	return bus_register_notifier(&pci_bus_type, &p2p_bar_nb);
}
subsys_initcall(p2p_bar_init);

/**
 * pci_p2p_bar_register - register a BAR range for page-less P2P DMA
 * @pdev: the provider.
 * @bar: a memory BAR of @pdev, 0 to PCI_STD_NUM_BARS - 1.
 * @offset: offset of the range in the BAR.
 * @size: size of the range, or 0 for the rest of the BAR.
 * @barp: set to the new registration on success.
 *
 * Creates no memmap and no struct page, and holds a reference on @pdev
 * until the range is unregistered.  The handle is the caller's: only it
 * can unregister the range, and pci_p2p_bar_id() gives the id that ranges
 * of it carry.
 *
 * Ranges may overlap other registrations, deliberately: the registry
 * does not own the memory, its provider does, and two users of one BAR
 * (the driver's own P2P pool and a dma-buf export of part of it, or two
 * exports) each need their own lifetime and their own revocation.  A
 * mapping pins the registration its ranges name, not the memory.
 *
 * A registration made while a driver is bound to @pdev belongs to that
 * binding: if it is still registered when the driver unbinds, a warning
 * names it.  The provider's remove() must unregister it.
 * Context: process context; may sleep.
 *
 * Return: 0; -EINVAL if @bar is not an assigned memory BAR or the range
 * does not fit in it; -ENOSPC if all DMA_SG_BAR_ID_MAX ids are in use;
 * -ENOMEM.  On error nothing is registered and @barp is untouched.
 */
int pci_p2p_bar_register(struct pci_dev *pdev, int bar, u64 offset, u64 size,
			 struct pci_p2p_bar **barp)
{
	might_sleep();
	return p2p_bar_register(pdev, bar, offset, size, GFP_KERNEL, barp);
}
EXPORT_SYMBOL_GPL(pci_p2p_bar_register);

/**
 * pci_p2p_bar_unregister - unregister a BAR range that is no longer mapped
 * @b: a registration from pci_p2p_bar_register(); not used after success.
 *
 * Refuses while any mapping of the range holds a reference, or a
 * revocable user (pci_p2p_bar_add_revoker()) is attached, so that no bus
 * address of the BAR can still be in use when the provider goes away.
 * Use pci_p2p_bar_unregister_sync() to revoke and wait instead.
 * Context: process context; may sleep.
 *
 * Return: 0; -EINVAL for a NULL @b or one from
 * devm_pci_p2p_bar_register(); -ENOENT if @b is being unregistered by
 * pci_p2p_bar_unregister_sync(); -EBUSY if it is still referenced or
 * has a revocable user, and then it stays registered.
 */
int pci_p2p_bar_unregister(struct pci_p2p_bar *b)
{
	u32 id;
	int ret = 0;

	/* A devm registration is its driver detach's to unregister. */
	if (!b || b->devm)
		return -EINVAL;
	id = b->id;
	mutex_lock(&p2p_bar_revoke_lock);
	mutex_lock(&p2p_bars_lock);
	if (WARN_ON_ONCE(p2p_bar_locked(id) != b) || b->dying)
		ret = -ENOENT;
	else if (!list_empty(&b->revokers) || !refcount_dec_if_one(&b->ref))
		ret = -EBUSY;
	else
		RCU_INIT_POINTER(p2p_bars[id], NULL);
	mutex_unlock(&p2p_bars_lock);
	mutex_unlock(&p2p_bar_revoke_lock);
	if (!ret)
		p2p_bar_free(b);
	return ret;
}
EXPORT_SYMBOL_GPL(pci_p2p_bar_unregister);

/* Unregister @id and wait, unless someone else already is. */
static void p2p_bar_unregister_sync(u32 id)
{
	struct pci_p2p_bar *b;

	mutex_lock(&p2p_bars_lock);
	b = p2p_bar_locked(id);
	if (b && b->dying)
		b = NULL;
	if (b)
		WRITE_ONCE(b->dying, true);
	mutex_unlock(&p2p_bars_lock);
	if (!b)
		return;

	/* Dying: no revoker is added any more, so the list only shrinks. */
	mutex_lock(&p2p_bar_revoke_lock);
	while (!list_empty(&b->revokers)) {
		struct pci_p2p_bar_revoker *r;

		r = list_first_entry(&b->revokers, struct pci_p2p_bar_revoker,
				     node);
		list_del_init(&r->node);
		r->revoke(r);
	}
	mutex_unlock(&p2p_bar_revoke_lock);

	/* Holders still find @b by id to put their references. */
	if (!refcount_dec_and_test(&b->ref))
		wait_for_completion(&b->released);

	mutex_lock(&p2p_bars_lock);
	RCU_INIT_POINTER(p2p_bars[id], NULL);
	mutex_unlock(&p2p_bars_lock);
	p2p_bar_free(b);
}

/**
 * pci_p2p_bar_unregister_sync - unregister a BAR range, waiting for users
 * @b: a registration from pci_p2p_bar_register(); not used afterwards.
 *
 * New mappings of the range fail with -ENOENT at once.  Each
 * revocable user is then told to let go, in turn, and has put its
 * references when its callback returns; the call then waits until every
 * other reference already held is put, and frees the id.  For a
 * provider's remove(), which cannot fail.  Does nothing for a NULL @b,
 * or for one from devm_pci_p2p_bar_register(), which the driver detach
 * unregisters.
 * Context: process context; sleeps until the references are put.  Not
 * with a lock held that a revoke callback takes.
 */
void pci_p2p_bar_unregister_sync(struct pci_p2p_bar *b)
{
	might_sleep();
	if (b && !b->devm)
		p2p_bar_unregister_sync(b->id);
}
EXPORT_SYMBOL_GPL(pci_p2p_bar_unregister_sync);

/**
 * pci_p2p_bar_add_revoker - attach a user that can be told to let go
 * @b: a registration.
 * @r: the user, with @r->revoke set; it stays attached until
 *	pci_p2p_bar_del_revoker() or until the id is unregistered.
 *
 * A user that maps the BAR on behalf of others, such as a dma-buf
 * exporter, cannot wait for them to finish on its own: it attaches here,
 * and pci_p2p_bar_unregister_sync() calls @r->revoke once, in process
 * context.  The callback stops every use of the range it handed out,
 * unmaps every mapping of it, makes later mappings fail, and returns in
 * bounded time.  It must not call pci_p2p_bar_del_revoker().
 * Context: process context; may sleep.
 *
 * Return: 0; -EINVAL for a NULL @b; -ENOENT if @b is being unregistered.
 */
int pci_p2p_bar_add_revoker(struct pci_p2p_bar *b,
			    struct pci_p2p_bar_revoker *r)
{
	int ret = 0;

	if (!b)
		return -EINVAL;
	mutex_lock(&p2p_bar_revoke_lock);
	mutex_lock(&p2p_bars_lock);
	if (b->dying)
		ret = -ENOENT;
	else
		list_add_tail(&r->node, &b->revokers);
	mutex_unlock(&p2p_bars_lock);
	mutex_unlock(&p2p_bar_revoke_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(pci_p2p_bar_add_revoker);

/**
 * pci_p2p_bar_del_revoker - detach a user attached by pci_p2p_bar_add_revoker()
 * @r: the user.
 *
 * If the revoke callback of @r is running, waits for it to return.
 * Afterwards it is never called.  Harmless if @r was already revoked.
 * Context: process context; may sleep.  Not with a lock held that the
 * revoke callback takes.
 */
void pci_p2p_bar_del_revoker(struct pci_p2p_bar_revoker *r)
{
	mutex_lock(&p2p_bar_revoke_lock);
	list_del_init(&r->node);
	mutex_unlock(&p2p_bar_revoke_lock);
}
EXPORT_SYMBOL_GPL(pci_p2p_bar_del_revoker);

static void p2p_bar_devm_release(void *data)
{
	struct pci_p2p_bar *b = data;

	p2p_bar_unregister_sync(b->id);
}

/**
 * devm_pci_p2p_bar_register - pci_p2p_bar_register() for a driver binding
 * @pdev: the provider, bound to the calling driver.
 * @bar: a memory BAR of @pdev.
 * @offset: offset of the range in the BAR.
 * @size: size of the range, or 0 for the rest of the BAR.
 * @barp: set to the new registration on success.
 *
 * The range is unregistered with pci_p2p_bar_unregister_sync() when the
 * driver detaches: new mappings fail and live ones are revoked or waited
 * for.  pci_p2p_bar_unregister() refuses it, and
 * pci_p2p_bar_unregister_sync() leaves it alone, so that the detach
 * never finds it freed.
 * Context: process context; may sleep.
 *
 * Return: as pci_p2p_bar_register().  On error nothing is registered.
 */
int devm_pci_p2p_bar_register(struct pci_dev *pdev, int bar, u64 offset,
			      u64 size, struct pci_p2p_bar **barp)
{
	struct pci_p2p_bar *b;
	int ret;

	ret = pci_p2p_bar_register(pdev, bar, offset, size, &b);
	if (ret)
		return ret;
	b->devm = true;
	ret = devm_add_action_or_reset(&pdev->dev, p2p_bar_devm_release, b);
	if (ret)
		return ret;
	*barp = b;
	return 0;
}
EXPORT_SYMBOL_GPL(devm_pci_p2p_bar_register);

static_assert(BIT(P2P_BAR_TYPE_BITS) > PCI_P2PDMA_MAP_THRU_HOST_BRIDGE);

static enum pci_p2pdma_map_type p2p_bar_map_type(struct pci_p2p_bar *b,
						 struct device *client)
{
	enum pci_p2pdma_map_type type;
	struct pci_dev *pclient;
	unsigned long idx, flags;
	void *entry;
	u64 last;

	/* As pci_p2pdma_map_type(): the DMA device itself must be PCI. */
	if (!client || !dev_is_pci(client))
		return PCI_P2PDMA_MAP_NOT_SUPPORTED;
	pclient = to_pci_dev(client);
	idx = pci_p2pdma_client_idx(pclient);

	/* The last client's answer: one load, and no xarray walk. */
	last = atomic64_read(&b->last_client);
	if (last && last >> P2P_BAR_TYPE_BITS == idx)
		return last & (BIT(P2P_BAR_TYPE_BITS) - 1);

	entry = xa_load(&b->map_types, idx);
	if (entry) {
		type = xa_to_value(entry);
	} else {
		type = pci_p2pdma_calc_map_type(b->pdev, pclient);
		/* A cache: if the store fails, the next call computes it again. */
		xa_lock_irqsave(&b->map_types, flags);
		__xa_store(&b->map_types, idx, xa_mk_value(type),
			   GFP_ATOMIC | __GFP_NOWARN);
		xa_unlock_irqrestore(&b->map_types, flags);
	}
	atomic64_set(&b->last_client, (u64)idx << P2P_BAR_TYPE_BITS | type);
	return type;
}

/* The map hint for @client, or -EREMOTEIO if it cannot reach @b. */
static int p2p_bar_hint(struct pci_p2p_bar *b, struct device *client)
{
	switch (p2p_bar_map_type(b, client)) {
	case PCI_P2PDMA_MAP_BUS_ADDR:
		return DMA_SG_MAP_BUS_ADDR;
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		return DMA_SG_MAP_HOST_BRIDGE;
	default:
		return -EREMOTEIO;
	}
}

/**
 * pci_p2p_bar_get_map - check a range and choose how @client maps it
 * @id: the BAR id the range carries.
 * @client: the device that will do the DMA.
 * @paddr: CPU physical address of the first byte of the range.
 * @len: length of the range in bytes.
 * @map: filled in on success.
 *
 * The map type follows the kernel's P2PDMA rules: a shared upstream
 * switch with no ACS redirection gives DMA_SG_MAP_BUS_ADDR; otherwise a
 * whitelisted host bridge or an AMD Zen or later CPU gives
 * DMA_SG_MAP_HOST_BRIDGE; anything else is refused.  The result is
 * cached per (BAR, client).  On success a reference is held that keeps
 * @id registered until pci_p2p_bar_put().
 * Context: any context where a spinlock may be taken; lock-free on @id.
 *
 * Return: 0; -ENOENT if @id is not registered; -EINVAL if the range is
 * empty or not inside the registered range; -EREMOTEIO if @client cannot
 * reach the BAR (or is not a PCI device).  On error no reference is held.
 */
int pci_p2p_bar_get_map(u32 id, struct device *client, phys_addr_t paddr,
			u64 len, struct pci_p2p_bar_map *map)
{
	struct pci_p2p_bar_map m;
	struct pci_p2p_bar *b;
	int ret;

	b = p2p_bar_get(id);
	if (!b)
		return -ENOENT;
	if (READ_ONCE(b->dying)) {
		ret = -ENOENT;
		goto put;
	}

	m.start = b->start;
	m.size = b->size;
	m.bus_offset = b->bus_offset;
	if (!pci_p2p_bar_map_covers(&m, paddr, len)) {
		ret = -EINVAL;
		goto put;
	}

	ret = p2p_bar_hint(b, client);
	if (ret < 0)
		goto put;
	m.type = ret;
	*map = m;
	return 0;

put:
	p2p_bar_put(b);
	return ret;
}

/**
 * pci_p2p_bar_id - the id that ranges of a registration carry
 * @b: a registration.
 *
 * Return: the id, 1 to DMA_SG_BAR_ID_MAX, for the BAR field of a
 * struct dma_sg_phys, or 0 (no BAR) for a NULL @b.
 * pci_p2p_bar_phys_set() fills a whole range in.
 */
u32 pci_p2p_bar_id(const struct pci_p2p_bar *b)
{
	return b ? b->id : 0;
}
EXPORT_SYMBOL_GPL(pci_p2p_bar_id);

/**
 * pci_p2p_bar_map_type - how a client reaches a registered BAR range
 * @b: a registration.
 * @client: the device that would do the DMA.
 *
 * The P2PDMA rules the mapping code applies, answered from the same
 * per-client cache, and with no reference taken: a producer asks this
 * to learn the hint of its ranges.
 * Context: any context where a spinlock may be taken.
 *
 * Return: DMA_SG_MAP_BUS_ADDR or DMA_SG_MAP_HOST_BRIDGE; -EINVAL for a
 * NULL @b; -EREMOTEIO if @client cannot reach the BAR (or is not a PCI
 * device).
 */
int pci_p2p_bar_map_type(struct pci_p2p_bar *b, struct device *client)
{
	if (!b)
		return -EINVAL;
	return p2p_bar_hint(b, client);
}
EXPORT_SYMBOL_GPL(pci_p2p_bar_map_type);

/**
 * pci_p2p_bar_phys_set - describe part of a registered BAR range
 * @p: the range to fill in.
 * @b: a registration.
 * @client: the device the range will be mapped for.
 * @offset: offset of the first byte in the registered range.
 * @len: length in bytes.
 *
 * Fills @p with the CPU physical address, the id of @b and the map hint
 * for @client, ready for dma_sg_map_phys().  The mapper checks them all
 * again and takes the reference.  @p is valid for as long as @b is
 * registered; afterwards a mapping of it fails with -ENOENT until its id
 * is handed out again, which the cyclic allocation puts off until every
 * other id has been used.
 * Context: any context where a spinlock may be taken.
 *
 * Return: 0; -EINVAL for a NULL @b, an empty range or one that does not
 * fit in the registered range; -EREMOTEIO if @client cannot reach the
 * BAR.  On error @p is untouched.
 */
int pci_p2p_bar_phys_set(struct dma_sg_phys *p, struct pci_p2p_bar *b,
			 struct device *client, u64 offset, u64 len)
{
	int hint;

	if (!b || !len || offset >= b->size || len > b->size - offset)
		return -EINVAL;
	hint = p2p_bar_hint(b, client);
	if (hint < 0)
		return hint;
	return dma_sg_phys_set(p, b->start + offset, len, hint, b->id);
}
EXPORT_SYMBOL_GPL(pci_p2p_bar_phys_set);

/**
 * pci_p2p_bar_put - drop a reference from pci_p2p_bar_get_map()
 * @id: the id it was taken on.
 *
 * Context: any context.
 */
void pci_p2p_bar_put(u32 id)
{
	struct pci_p2p_bar __rcu **slot = p2p_bar_slot(id);
	struct pci_p2p_bar *b = NULL;

	/* A held reference keeps the entry in its slot. */
	rcu_read_lock();
	if (slot)
		b = rcu_dereference(*slot);
	if (!WARN_ON_ONCE(!b))
		p2p_bar_put(b);
	rcu_read_unlock();
}

/**
 * __pci_p2p_bar_refs_lookup - pci_p2p_bar_refs_lookup() past the last BAR
 * @r: the mapping's BAR references.
 * @id: the BAR id the range carries.
 * @client: the device that will do the DMA.
 * @paddr: CPU physical address of the first byte of the range.
 * @len: length of the range in bytes.
 * @gfp: allocation flags.
 *
 * Call pci_p2p_bar_refs_lookup() instead.
 * Context: any context that @gfp allows.
 *
 * Return: as pci_p2p_bar_refs_lookup().
 */
const struct pci_p2p_bar_map *
__pci_p2p_bar_refs_lookup(struct pci_p2p_bar_refs *r, u32 id,
			  struct device *client, phys_addr_t paddr, u64 len,
			  gfp_t gfp)
{
	struct pci_p2p_bar_ref *ref, *refs;
	struct pci_p2p_bar_map map;
	u32 i;
	int ret;

	/* A mapping touches a few BARs: a walk beats any index. */
	for (i = 0; i < r->nr; i++) {
		ref = &r->refs[i];
		if (ref->id != id)
			continue;
		/* The registry's answer for a range outside the BAR. */
		if (!pci_p2p_bar_map_covers(&ref->map, paddr, len))
			return ERR_PTR(-EINVAL);
		r->last = ref;
		return &ref->map;
	}

	ret = pci_p2p_bar_get_map(id, client, paddr, len, &map);
	if (ret)
		return ERR_PTR(ret);
	if (r->nr == r->max) {
		refs = kmalloc_array(r->max * 2, sizeof(*refs), gfp);
		if (!refs) {
			pci_p2p_bar_put(id);
			return ERR_PTR(-ENOMEM);
		}
		memcpy(refs, r->refs, r->nr * sizeof(*refs));
		if (r->refs != r->inline_refs)
			kfree(r->refs);
		r->refs = refs;
		r->max *= 2;
	}
	ref = &r->refs[r->nr++];
	ref->id = id;
	ref->map = map;
	r->last = ref;
	return &ref->map;
}

/**
 * pci_p2p_bar_refs_release - drop every reference a set holds
 * @r: the set, from pci_p2p_bar_refs_init().
 *
 * Puts one reference per BAR looked up through @r and leaves @r empty.
 * Call it only once nothing can reach the BARs through the mapping any
 * more: after its IOVA is destroyed and the IOTLB flushed.
 * Context: any context.
 */
void pci_p2p_bar_refs_release(struct pci_p2p_bar_refs *r)
{
	u32 i;

	for (i = 0; i < r->nr; i++)
		pci_p2p_bar_put(r->refs[i].id);
	if (r->refs != r->inline_refs)
		kfree(r->refs);
	pci_p2p_bar_refs_init(r);
}

/**
 * pci_p2p_bar_id_from_page - BAR id of a page from pci_p2pdma_add_resource()
 * @page: a page of peer-to-peer memory.
 * @id: set to the id on success.
 *
 * Every pci_p2pdma_add_resource() range is registered here as well, so
 * that its pages map through the same page-less path: page->pgmap gives
 * the id, and the mapping code does the rest.
 * Context: any context.
 *
 * Return: 0; -EINVAL if @page is not a P2PDMA page; -ENOENT if its range
 * has no id (no free id at registration, or being torn down).
 */
int pci_p2p_bar_id_from_page(struct page *page, u32 *id)
{
	u32 i;

	if (!page || !is_pci_p2pdma_page(page))
		return -EINVAL;
	i = pci_p2pdma_pgmap_bar_id(page->pgmap);
	if (!i)
		return -ENOENT;
	*id = i;
	return 0;
}
EXPORT_SYMBOL_GPL(pci_p2p_bar_id_from_page);

static void p2p_bar_pgmap_release(void *data)
{
	u32 *idp = data;
	u32 id = READ_ONCE(*idp);

	/* Pages stop leading to the id first, then users are waited for. */
	WRITE_ONCE(*idp, 0);
	p2p_bar_unregister_sync(id);
}

/*
 * Give a pci_p2pdma_add_resource() range an id for the life of its driver
 * binding.  Devres runs this release before the pages are unmapped.  A
 * failure costs only the page-less path, so it is logged, not returned.
 */
void pci_p2p_bar_add_pgmap(struct pci_dev *pdev, int bar, u64 offset,
			   u64 size, u32 *idp)
{
	struct pci_p2p_bar *b;
	int ret;

	ret = pci_p2p_bar_register(pdev, bar, offset, size, &b);
	if (!ret) {
		WRITE_ONCE(*idp, b->id);
		ret = devm_add_action_or_reset(&pdev->dev,
					       p2p_bar_pgmap_release, idp);
	}
	if (ret)
		pci_warn(pdev, "no P2P BAR id for BAR %d: %d\n", bar, ret);
}
