// SPDX-License-Identifier: GPL-2.0
/*
 * Driver for QEMU's "edu" device (1234:11e8, QEMU docs/specs/edu.txt).
 *
 * Its DMA engine copies up to 4 KiB per command between a buffer inside
 * the device and any bus address, which makes it a simple, real DMA
 * initiator for testing mappings: the bytes it moves go through QEMU's
 * PCI bus and its IOMMU exactly as a real device's would.
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/iopoll.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>

#include "edu.h"

#define EDU_REG_ID		0x00
#define EDU_REG_LIVE		0x04
#define EDU_REG_DMA_SRC		0x80
#define EDU_REG_DMA_DST		0x88
#define EDU_REG_DMA_CNT		0x90
#define EDU_REG_DMA_CMD		0x98
#define EDU_CMD_START		BIT(0)
#define EDU_CMD_TO_BUS		BIT(1)	/* else from the bus to the device */
/* The device's buffer as the DMA engine addresses it. */
#define EDU_BUF_ADDR		0x40000
#define EDU_BUF_SIZE		4096
#define EDU_ID_MAGIC		0xed

/* QEMU runs each command from a 100 ms timer; allow plenty of slack. */
#define EDU_DMA_TIMEOUT_US	(10 * USEC_PER_SEC)

struct edu {
	struct pci_dev *pdev;
	void __iomem *regs;
	struct mutex lock;	/* one DMA command at a time */
};

static struct edu *edu_dev;	/* the first device probed */

/**
 * edu_get - find the edu device bound to this driver
 *
 * Return: the device, or NULL if there is none.
 */
struct pci_dev *edu_get(void)
{
	struct edu *edu = READ_ONCE(edu_dev);

	return edu ? edu->pdev : NULL;
}

/**
 * edu_dma - run one DMA command and wait for it
 * @pdev: an edu device from edu_get().
 * @bus: bus address, as mapped for @pdev.
 * @buf_off: offset in the device's buffer.
 * @len: bytes to move, 1 to EDU_DMA_MAX; @buf_off + @len must stay below
 *	the end of the 4 KiB buffer.
 * @dir: EDU_FROM_BUS or EDU_TO_BUS.
 *
 * The device reports no error, so completion says nothing about whether
 * the bytes arrived: callers check the data.
 *
 * Return: 0, -EINVAL for a range outside the buffer, or -ETIMEDOUT.
 */
int edu_dma(struct pci_dev *pdev, dma_addr_t bus, u32 buf_off, u32 len,
	    enum edu_dir dir)
{
	struct edu *edu = pci_get_drvdata(pdev);
	u64 dev_addr = EDU_BUF_ADDR + buf_off;
	u32 cmd;
	int ret;

	/* QEMU aborts the whole machine on an out-of-buffer command. */
	if (!len || len > EDU_DMA_MAX || buf_off >= EDU_BUF_SIZE - len)
		return -EINVAL;

	mutex_lock(&edu->lock);
	writeq(dir == EDU_TO_BUS ? dev_addr : bus, edu->regs + EDU_REG_DMA_SRC);
	writeq(dir == EDU_TO_BUS ? bus : dev_addr, edu->regs + EDU_REG_DMA_DST);
	writeq(len, edu->regs + EDU_REG_DMA_CNT);
	writel(EDU_CMD_START | (dir == EDU_TO_BUS ? EDU_CMD_TO_BUS : 0),
	       edu->regs + EDU_REG_DMA_CMD);
	ret = readl_poll_timeout(edu->regs + EDU_REG_DMA_CMD, cmd,
				 !(cmd & EDU_CMD_START), 1000,
				 EDU_DMA_TIMEOUT_US);
	mutex_unlock(&edu->lock);
	return ret;
}

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct edu *edu;
	u32 live;
	int ret;

	edu = devm_kzalloc(&pdev->dev, sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	edu->regs = pcim_iomap_region(pdev, 0, KBUILD_MODNAME);
	if (IS_ERR(edu->regs))
		return PTR_ERR(edu->regs);
	/* Without dma_mask=0xffffffffffffffff QEMU clamps to 28 bits. */
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	if ((readl(edu->regs + EDU_REG_ID) & 0xff) != EDU_ID_MAGIC)
		return -ENODEV;
	writel(0x5a5aa5a5, edu->regs + EDU_REG_LIVE);
	live = readl(edu->regs + EDU_REG_LIVE);
	if (live != ~0x5a5aa5a5u)
		return -EIO;
	pci_set_master(pdev);
	mutex_init(&edu->lock);
	edu->pdev = pdev;
	pci_set_drvdata(pdev, edu);
	/* Tests use the first device; a second one is bound but idle. */
	cmpxchg(&edu_dev, NULL, edu);
	return 0;
}

static void edu_remove(struct pci_dev *pdev)
{
	struct edu *edu = pci_get_drvdata(pdev);

	cmpxchg(&edu_dev, edu, NULL);
	pci_clear_master(pdev);
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ids);

static struct pci_driver edu_driver = {
	.name = "dma_sg_e2e_edu",
	.id_table = edu_ids,
	.probe = edu_probe,
	.remove = edu_remove,
};
module_pci_driver(edu_driver);
