/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dma_sg_phys: page-less input ranges for the dma_sg mapping calls
 *
 * The mapping layer's input, apart from the table of DMA addresses that
 * it builds (<linux/dma_sg.h>), which knows nothing of CPU addresses or
 * peer-to-peer.  See Documentation/core-api/dma-sg.rst.
 */
#ifndef _LINUX_DMA_SG_PHYS_H
#define _LINUX_DMA_SG_PHYS_H

#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/types.h>

/*
 * Page-less CPU-side input ranges.
 *
 * A struct dma_sg_phys names a physical range and says how to map it, in
 * 16 bytes and with no struct page: flag bits in the length word do what
 * page->pgmap does for ZONE_DEVICE memory.  The top 14 bits of the length word carry 2 bits of
 * map hint and 12 bits of PCI BAR id, leaving 50 bits of length: 1 PiB,
 * more than any BAR or physically contiguous run of memory, and a longer
 * range is simply two.  Twelve bits give 4095 BARs (id 0 means "none"),
 * enough for a host with 24 NVMe CMBs, 8 GPUs and 4 SR-IOV PFs exposing
 * 256 VFs with 2 BARs each (2080 BARs) all registered at once.
 *
 * Only DMA_SG_MAP_MEM ranges are treated as memory, and they must have a
 * struct page; everything else is mapped as MMIO.
 */

/**
 * enum dma_sg_map_hint - how to map a struct dma_sg_phys
 * @DMA_SG_MAP_MEM: system memory that has a struct page; the BAR id must
 *	be 0.
 * @DMA_SG_MAP_BUS_ADDR: peer-to-peer, by PCI bus address: the two devices
 *	share an upstream switch, so the transfer bypasses the host bridge
 *	and any IOMMU.
 * @DMA_SG_MAP_HOST_BRIDGE: peer-to-peer through the host bridge: mapped as
 *	MMIO the way dma_map_resource() maps it, through the IOMMU when
 *	there is one, and never cache-synced or bounced.
 * @DMA_SG_MAP_MMIO: MMIO that is not a registered PCI BAR, such as
 *	platform SRAM or a FIFO: mapped as dma_map_resource() maps it, never
 *	cache-synced or bounced.  The BAR id must be 0.
 */
enum dma_sg_map_hint {
	DMA_SG_MAP_MEM = 0,
	DMA_SG_MAP_BUS_ADDR = 1,
	DMA_SG_MAP_HOST_BRIDGE = 2,
	DMA_SG_MAP_MMIO = 3,
};

/**
 * dma_sg_hint_is_p2p - does a hint name a registered PCI BAR?
 * @hint: an enum dma_sg_map_hint.
 *
 * Return: true for DMA_SG_MAP_BUS_ADDR and DMA_SG_MAP_HOST_BRIDGE, the
 * hints whose ranges carry a BAR id.
 */
static inline bool dma_sg_hint_is_p2p(enum dma_sg_map_hint hint)
{
	return hint == DMA_SG_MAP_BUS_ADDR || hint == DMA_SG_MAP_HOST_BRIDGE;
}

#define DMA_SG_PHYS_LEN_MASK	GENMASK_ULL(49, 0)
#define DMA_SG_PHYS_BAR_MASK	GENMASK_ULL(61, 50)
#define DMA_SG_PHYS_HINT_MASK	GENMASK_ULL(63, 62)
#define DMA_SG_PHYS_LEN_MAX	DMA_SG_PHYS_LEN_MASK
/* Not FIELD_MAX(): a constant expression, so it can size a static array. */
#define DMA_SG_BAR_ID_MAX	\
	((u32)(DMA_SG_PHYS_BAR_MASK >> __bf_shf(DMA_SG_PHYS_BAR_MASK)))

/**
 * struct dma_sg_phys - a physical range to map, with its flag bits
 * @paddr: CPU physical address of the first byte.
 * @len_flags: length in bits 0-49, BAR id in bits 50-61 and
 *	enum dma_sg_map_hint in bits 62-63.  Use the accessors below.
 */
struct dma_sg_phys {
	phys_addr_t paddr;
	u64 len_flags;
};

/**
 * dma_sg_phys_set - fill in a struct dma_sg_phys
 * @p: the range.
 * @paddr: CPU physical address.
 * @len: length, 1 to DMA_SG_PHYS_LEN_MAX.
 * @hint: an enum dma_sg_map_hint.
 * @bar_id: registered BAR id for DMA_SG_MAP_BUS_ADDR and
 *	DMA_SG_MAP_HOST_BRIDGE, else 0.
 *
 * Return: 0, or -EINVAL if a field does not fit or the range wraps; @p is
 * then untouched.
 */
static inline int dma_sg_phys_set(struct dma_sg_phys *p, phys_addr_t paddr,
				  u64 len, enum dma_sg_map_hint hint,
				  u32 bar_id)
{
	if (!len || len > DMA_SG_PHYS_LEN_MAX ||
	    len - 1 > (u64)(phys_addr_t)~paddr ||
	    hint > DMA_SG_MAP_MMIO || bar_id > DMA_SG_BAR_ID_MAX ||
	    dma_sg_hint_is_p2p(hint) != !!bar_id)
		return -EINVAL;
	p->paddr = paddr;
	p->len_flags = len | FIELD_PREP(DMA_SG_PHYS_BAR_MASK, bar_id) |
		       FIELD_PREP(DMA_SG_PHYS_HINT_MASK, hint);
	return 0;
}

/**
 * dma_sg_phys_len - length of a struct dma_sg_phys
 * @p: the range.
 *
 * Return: the length in bytes.
 */
static inline u64 dma_sg_phys_len(const struct dma_sg_phys *p)
{
	return p->len_flags & DMA_SG_PHYS_LEN_MASK;
}

/**
 * dma_sg_phys_bar - BAR id of a struct dma_sg_phys
 * @p: the range.
 *
 * Return: the BAR id, 0 for system memory.
 */
static inline u32 dma_sg_phys_bar(const struct dma_sg_phys *p)
{
	return FIELD_GET(DMA_SG_PHYS_BAR_MASK, p->len_flags);
}

/**
 * dma_sg_phys_hint - map hint of a struct dma_sg_phys
 * @p: the range.
 *
 * Return: the enum dma_sg_map_hint.
 */
static inline enum dma_sg_map_hint dma_sg_phys_hint(const struct dma_sg_phys *p)
{
	return FIELD_GET(DMA_SG_PHYS_HINT_MASK, p->len_flags);
}

#endif /* _LINUX_DMA_SG_PHYS_H */
