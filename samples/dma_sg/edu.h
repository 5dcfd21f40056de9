/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Driver for QEMU's "edu" teaching device, used as a DMA initiator by the
 * dma_sg end-to-end tests.
 */
#ifndef _DMA_SG_E2E_EDU_H
#define _DMA_SG_E2E_EDU_H

#include <linux/types.h>

struct pci_dev;

/*
 * Bytes moved per command.  The device's buffer is 4 KiB, but QEMU 7.2
 * aborts the whole machine on a command that ends at the buffer's end (an
 * off-by-one in its range check); half the buffer keeps commands page
 * aligned.
 */
#define EDU_DMA_MAX	2048u

/**
 * enum edu_dir - direction of one edu DMA command
 * @EDU_FROM_BUS: read from a bus address into the device's buffer.
 * @EDU_TO_BUS: write the device's buffer to a bus address.
 */
enum edu_dir {
	EDU_FROM_BUS,
	EDU_TO_BUS,
};

struct pci_dev *edu_get(void);
int edu_dma(struct pci_dev *pdev, dma_addr_t bus, u32 buf_off, u32 len,
	    enum edu_dir dir);

#endif /* _DMA_SG_E2E_EDU_H */
