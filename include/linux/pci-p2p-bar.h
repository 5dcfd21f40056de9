/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page-less PCI peer-to-peer BAR registry
 *
 * A provider driver registers a BAR, or a range of one, and gets a handle
 * and a small id that fits the BAR id field of a struct dma_sg_phys.
 * Registration creates no memmap and no struct page.  Mapping code turns (id, client)
 * into a map type and a bus offset with one array load, lock-free.
 * See Documentation/driver-api/pci/p2p-bar.rst.
 */
#ifndef _LINUX_PCI_P2P_BAR_H
#define _LINUX_PCI_P2P_BAR_H

#include <linux/dma_sg_phys.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/gfp_types.h>
#include <linux/list.h>
#include <linux/types.h>

struct device;
struct page;
struct pci_dev;

/**
 * struct pci_p2p_bar_map - how one client reaches one registered BAR range
 * @type: DMA_SG_MAP_BUS_ADDR when the client reaches the BAR by PCI bus
 *	address (never through an IOMMU), or DMA_SG_MAP_HOST_BRIDGE when the
 *	transfer goes through the host bridge and is mapped like
 *	dma_map_resource() maps MMIO.
 * @bus_offset: PCI bus address minus CPU physical address for this BAR,
 *	modulo 2^64.  Not always zero: host bridges can translate.
 * @start: CPU physical address of the first byte of the registered range.
 * @size: size of the registered range in bytes.
 *
 * @start and @size let a mapper check further ranges of the same id
 * against the BAR with pci_p2p_bar_map_covers() and no new lookup, under
 * the one reference its lookup took (see pci_p2p_bar_refs_lookup()).
 * Only the mapping code sees one.
 */
struct pci_p2p_bar_map {
	enum dma_sg_map_hint type;
	u64 bus_offset;
	phys_addr_t start;
	u64 size;
};

/**
 * pci_p2p_bar_bus_addr - PCI bus address of a CPU physical address in a BAR
 * @map: a map from pci_p2p_bar_refs_lookup().
 * @paddr: CPU physical address inside the registered range.
 *
 * Return: the address a peer uses for DMA_SG_MAP_BUS_ADDR.
 */
static inline dma_addr_t pci_p2p_bar_bus_addr(const struct pci_p2p_bar_map *map,
					      phys_addr_t paddr)
{
	return (dma_addr_t)((u64)paddr + map->bus_offset);
}

/**
 * pci_p2p_bar_map_covers - check that a range lies inside a registered range
 * @map: a map from pci_p2p_bar_refs_lookup().
 * @paddr: CPU physical address of the first byte.
 * @len: length in bytes.
 *
 * Return: true if @len is not zero and [@paddr, @paddr + @len) lies inside
 * [@map->start, @map->start + @map->size).
 */
static inline bool pci_p2p_bar_map_covers(const struct pci_p2p_bar_map *map,
					  phys_addr_t paddr, u64 len)
{
	return len && paddr >= map->start &&
	       (u64)(paddr - map->start) < map->size &&
	       len <= map->size - (u64)(paddr - map->start);
}

/**
 * struct pci_p2p_bar_revoker - a user that lets go of a BAR when told
 * @revoke: called once by pci_p2p_bar_unregister_sync(): stop every use
 *	of the range, unmap every mapping of it, and return.
 * @node: private: on the registered range's list.
 *
 * See pci_p2p_bar_add_revoker().
 */
struct pci_p2p_bar_revoker {
	void (*revoke)(struct pci_p2p_bar_revoker *r);
	struct list_head node;
};

struct pci_p2p_bar;

/*
 * The calls, in short (kernel-doc in drivers/pci/p2p_bar.c).  A
 * registration is a handle, struct pci_p2p_bar, that only its owner
 * holds: nobody else can unregister the range.  References on a BAR are
 * the mapping code's business (struct pci_p2p_bar_refs below); users
 * never take or drop one themselves.
 *
 * For the provider, which owns the handle:
 * pci_p2p_bar_register()	a handle for a memory BAR range; size 0
 *				means "to the end of the BAR".  -EINVAL bad
 *				BAR or range, -ENOSPC no free id, -ENOMEM.
 *				Sleeps.
 * devm_pci_p2p_bar_register()	the same, unregistered with _sync() on
 *				driver detach.
 * pci_p2p_bar_unregister()	-EBUSY while mappings of the range live.
 *				Sleeps.
 * pci_p2p_bar_unregister_sync()	refuse new mappings, revoke the users
 *				that can let go, wait for the other mappings
 *				to go, then unregister.  For remove().
 * pci_p2p_bar_add_revoker()	attach a user that lets go when told, such
 *				as a dma-buf export; -ENOENT for a range
 *				going away.
 * pci_p2p_bar_del_revoker()	detach it; waits for a running revoke.
 *
 * For whoever describes ranges of the BAR to a mapper:
 * pci_p2p_bar_id()		the id for the BAR field of a dma_sg_phys.
 * pci_p2p_bar_map_type()	how a client reaches the BAR: the hint.
 * pci_p2p_bar_phys_set()	a dma_sg_phys for (BAR, client, offset,
 *				length), hint chosen.
 */
#ifdef CONFIG_PCI_P2P_BAR
int pci_p2p_bar_register(struct pci_dev *pdev, int bar, u64 offset, u64 size,
			 struct pci_p2p_bar **barp);
int devm_pci_p2p_bar_register(struct pci_dev *pdev, int bar, u64 offset,
			      u64 size, struct pci_p2p_bar **barp);
int pci_p2p_bar_unregister(struct pci_p2p_bar *bar);
void pci_p2p_bar_unregister_sync(struct pci_p2p_bar *bar);
int pci_p2p_bar_add_revoker(struct pci_p2p_bar *bar,
			    struct pci_p2p_bar_revoker *r);
void pci_p2p_bar_del_revoker(struct pci_p2p_bar_revoker *r);
u32 pci_p2p_bar_id(const struct pci_p2p_bar *bar);
int pci_p2p_bar_map_type(struct pci_p2p_bar *bar, struct device *client);
int pci_p2p_bar_phys_set(struct dma_sg_phys *p, struct pci_p2p_bar *bar,
			 struct device *client, u64 offset, u64 len);
int pci_p2p_bar_id_from_page(struct page *page, u32 *id);
#else
static inline int pci_p2p_bar_register(struct pci_dev *pdev, int bar,
				       u64 offset, u64 size,
				       struct pci_p2p_bar **barp)
{
	return -EOPNOTSUPP;
}

static inline int devm_pci_p2p_bar_register(struct pci_dev *pdev, int bar,
					    u64 offset, u64 size,
					    struct pci_p2p_bar **barp)
{
	return -EOPNOTSUPP;
}

static inline int pci_p2p_bar_unregister(struct pci_p2p_bar *bar)
{
	return -EINVAL;
}

static inline void pci_p2p_bar_unregister_sync(struct pci_p2p_bar *bar)
{
}

static inline int pci_p2p_bar_add_revoker(struct pci_p2p_bar *bar,
					  struct pci_p2p_bar_revoker *r)
{
	return -EINVAL;
}

static inline void pci_p2p_bar_del_revoker(struct pci_p2p_bar_revoker *r)
{
}

static inline u32 pci_p2p_bar_id(const struct pci_p2p_bar *bar)
{
	return 0;
}

static inline int pci_p2p_bar_map_type(struct pci_p2p_bar *bar,
				       struct device *client)
{
	return -EINVAL;
}

static inline int pci_p2p_bar_phys_set(struct dma_sg_phys *p,
				       struct pci_p2p_bar *bar,
				       struct device *client, u64 offset,
				       u64 len)
{
	return -EINVAL;
}

static inline int pci_p2p_bar_id_from_page(struct page *page, u32 *id)
{
	return -ENOENT;
}
#endif /* CONFIG_PCI_P2P_BAR */

/* BARs a struct pci_p2p_bar_refs holds before it allocates. */
#define PCI_P2P_BAR_INLINE_REFS	1

/**
 * struct pci_p2p_bar_ref - one BAR a mapping holds a reference on
 * @id: the BAR's id.
 * @map: how the mapping's client reaches it.
 */
struct pci_p2p_bar_ref {
	u32 id;
	struct pci_p2p_bar_map map;
};

/**
 * struct pci_p2p_bar_refs - the BARs one mapping references, once each
 * @last: the entry the last lookup found, or NULL.
 * @refs: @inline_refs or an allocation.
 * @nr: entries in use in @refs.
 * @max: capacity of @refs.
 * @inline_refs: storage for the first entries.
 *
 * The page-less counterpart of 6.12's struct pci_p2pdma_map_state, for
 * one mapping and one client.  It holds one reference per BAR for as long
 * as the mapping lives and remembers each BAR's map, so that a range of a
 * BAR it already holds costs no registry lookup and no atomic, however
 * the ranges of several BARs interleave.  Set up with
 * pci_p2p_bar_refs_init(); it must not be copied after that.
 */
struct pci_p2p_bar_refs {
	struct pci_p2p_bar_ref *last;
	struct pci_p2p_bar_ref *refs;
	u32 nr;
	u32 max;
	struct pci_p2p_bar_ref inline_refs[PCI_P2P_BAR_INLINE_REFS];
};

/**
 * pci_p2p_bar_refs_init - prepare an empty set of BAR references
 * @r: the set.
 */
static inline void pci_p2p_bar_refs_init(struct pci_p2p_bar_refs *r)
{
	r->last = NULL;
	r->refs = r->inline_refs;
	r->nr = 0;
	r->max = PCI_P2P_BAR_INLINE_REFS;
}

#ifdef CONFIG_PCI_P2P_BAR
const struct pci_p2p_bar_map *
__pci_p2p_bar_refs_lookup(struct pci_p2p_bar_refs *r, u32 id,
			  struct device *client, phys_addr_t paddr, u64 len,
			  gfp_t gfp);
void pci_p2p_bar_refs_release(struct pci_p2p_bar_refs *r);
#else
static inline const struct pci_p2p_bar_map *
__pci_p2p_bar_refs_lookup(struct pci_p2p_bar_refs *r, u32 id,
			  struct device *client, phys_addr_t paddr, u64 len,
			  gfp_t gfp)
{
	return ERR_PTR(-ENOENT);
}

static inline void pci_p2p_bar_refs_release(struct pci_p2p_bar_refs *r)
{
}
#endif

/**
 * pci_p2p_bar_refs_lookup - classify a range of a BAR for a mapping
 * @r: the mapping's BAR references.
 * @id: the BAR id the range carries.
 * @client: the device that will do the DMA; the same for every lookup
 *	through @r.
 * @paddr: CPU physical address of the first byte of the range.
 * @len: length of the range in bytes.
 * @gfp: allocation flags, for when @r holds more BARs than it has room.
 *
 * A range of the BAR the last lookup found costs a compare and a bounds
 * check; one of another BAR @r holds costs a walk over @r.  Otherwise the
 * registry is asked, and @r keeps the reference it takes.
 *
 * Return: how @client reaches the range, valid until the next lookup
 * through @r; @r holds a reference on @id until pci_p2p_bar_refs_release().
 * Or an ERR_PTR(), with @r as it was: -ENOENT if @id is not registered or
 * is being unregistered; -EINVAL if the range is empty or not inside the
 * registered range; -EREMOTEIO if @client cannot reach the BAR (or is
 * not a PCI device); -ENOMEM.
 */
static inline const struct pci_p2p_bar_map *
pci_p2p_bar_refs_lookup(struct pci_p2p_bar_refs *r, u32 id,
			struct device *client, phys_addr_t paddr, u64 len,
			gfp_t gfp)
{
	struct pci_p2p_bar_ref *last = r->last;

	if (likely(last && last->id == id &&
		   pci_p2p_bar_map_covers(&last->map, paddr, len)))
		return &last->map;
	return __pci_p2p_bar_refs_lookup(r, id, client, paddr, len, gfp);
}

#endif /* _LINUX_PCI_P2P_BAR_H */
