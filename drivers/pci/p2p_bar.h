/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The P2P BAR registry's entry, private to p2p_bar.c and its KUnit suite.
 */
#ifndef DRIVERS_PCI_P2P_BAR_H
#define DRIVERS_PCI_P2P_BAR_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-p2p-bar.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/xarray.h>

/**
 * struct pci_p2p_bar - one registered BAR range, and its owner's handle
 * @id: the id ranges of it carry, 1 to DMA_SG_BAR_ID_MAX.
 * @ref: one reference for the registry plus one per pci_p2p_bar_get_map().
 * @dying: set by pci_p2p_bar_unregister_sync(); no new references.
 * @devm: from devm_pci_p2p_bar_register(): only the driver detach
 *	unregisters it.
 * @bound: registered while a driver was bound to @pdev; cleared, under
 *	p2p_bars_lock, when that binding ends and the registration, still
 *	there, is reported.
 * @pdev: the provider, with a reference held.
 * @bar: BAR number.
 * @start: CPU physical address of the first byte.
 * @size: size in bytes.
 * @bus_offset: PCI bus address minus CPU physical address, modulo 2^64.
 * @last_client: the last client's index shifted left by 2, ORed with its
 *	enum pci_p2pdma_map_type; 0 while empty (a real entry is never 0:
 *	PCI_P2PDMA_MAP_UNKNOWN is never stored).  A hit needs no xarray.
 * @map_types: client index -> xa_mk_value(enum pci_p2pdma_map_type).
 * @released: completed when @ref drops to zero.
 * @revokers: users that let go when told, under p2p_bar_revoke_lock.
 * @rcu: frees the entry after lock-free readers are done with it.
 */
struct pci_p2p_bar {
	u32 id;
	refcount_t ref;
	bool dying;
	bool devm;
	bool bound;
	struct pci_dev *pdev;
	int bar;
	phys_addr_t start;
	u64 size;
	u64 bus_offset;
	atomic64_t last_client;
	struct xarray map_types;
	struct completion released;
	struct list_head revokers;
	struct rcu_head rcu;
};

/* Bits of @last_client that hold the map type. */
#define P2P_BAR_TYPE_BITS	2

/* For the mapping code in drivers/pci and the suite: references by id. */
int pci_p2p_bar_get_map(u32 id, struct device *client, phys_addr_t paddr,
			u64 len, struct pci_p2p_bar_map *map);
void pci_p2p_bar_put(u32 id);

#if IS_ENABLED(CONFIG_KUNIT)
/* Static unless KUnit is built (VISIBLE_IF_KUNIT), for the suite's checks. */
extern struct pci_p2p_bar __rcu **p2p_bars;
extern struct mutex p2p_bars_lock;
struct pci_p2p_bar *p2p_bar_locked(u32 id);
struct pci_p2p_bar *p2p_bar_get(u32 id);
void p2p_bar_put(struct pci_p2p_bar *b);
int p2p_bar_register(struct pci_dev *pdev, int bar, u64 offset, u64 size,
		     gfp_t gfp, struct pci_p2p_bar **barp);
#endif

#endif /* DRIVERS_PCI_P2P_BAR_H */
