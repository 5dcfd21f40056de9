// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the devmem TCP dma-buf binding.
 *
 * A test exporter shares a buffer of three DMA ranges, through the dma_sg
 * map op or through an sg_table cut in small segments, and a dummy
 * net_device binds it.  The binding's genpool must hold the buffer range
 * by range, each net_iov must carry the DMA address of its page, and
 * unbinding must give every mapping back to the exporter.
 */
#include <kunit/device.h>
#include <kunit/fail_nth.h>
#include <kunit/test.h>
#include <linux/dma-buf.h>
#include <linux/dma_sg.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/genalloc.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/scatterlist.h>
#include <net/netmem.h>
#include <net/page_pool/helpers.h>

#include "devmem.h"

/* Three ranges, apart from one another: three genpool chunks. */
static const struct {
	u64 addr;
	u64 len;
} ranges[] = {
	{ 0x100000000ULL, 4 * PAGE_SIZE },
	{ 0x240000000ULL, 64 * PAGE_SIZE },
	{ 0x380000000ULL, 8 * PAGE_SIZE },
};

/* The sg_table exporter cuts segments this long; ranges hold whole ones. */
#define SGT_SEG		(4 * PAGE_SIZE)

KUNIT_DEFINE_ACTION_WRAPPER(free_netdev_action, free_netdev,
			    struct net_device *);

struct test_exporter {
	int maps;	/* mappings not given back yet */
	int fail;	/* error for the next map, or 0 */
};

static u64 buffer_len(void)
{
	u64 len = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(ranges); i++)
		len += ranges[i].len;
	return len;
}

/* DMA address of byte @off of the buffer, or DMA_MAPPING_ERROR past it. */
static dma_addr_t buffer_addr(u64 off)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(ranges) && off >= ranges[i].len; i++)
		off -= ranges[i].len;
	return i < ARRAY_SIZE(ranges) ? ranges[i].addr + off :
					 DMA_MAPPING_ERROR;
}

static struct dma_sg_table *exp_map_dma_sg(struct dma_buf_attachment *attach,
					   enum dma_data_direction dir)
{
	struct test_exporter *exp = attach->dmabuf->priv;
	struct dma_sg_table *table;
	int i, ret = exp->fail;

	if (ret)
		return ERR_PTR(ret);
	table = kzalloc(sizeof(*table), GFP_KERNEL);
	if (!table)
		return ERR_PTR(-ENOMEM);
	dma_sg_table_init(table, 0);
	for (i = 0; i < ARRAY_SIZE(ranges) && !ret; i++)
		ret = dma_sg_append(table, ranges[i].addr, ranges[i].len,
				    GFP_KERNEL);
	if (ret) {
		dma_sg_table_free(table);
		kfree(table);
		return ERR_PTR(ret);
	}
	exp->maps++;
	return table;
}

static void exp_unmap_dma_sg(struct dma_buf_attachment *attach,
			     struct dma_sg_table *table,
			     enum dma_data_direction dir)
{
	struct test_exporter *exp = attach->dmabuf->priv;

	dma_sg_table_free(table);
	kfree(table);
	exp->maps--;
}

static struct sg_table *exp_map_sgt(struct dma_buf_attachment *attach,
				    enum dma_data_direction dir)
{
	struct test_exporter *exp = attach->dmabuf->priv;
	struct scatterlist *sg;
	struct sg_table *sgt;
	u64 off;
	int i;

	if (exp->fail)
		return ERR_PTR(exp->fail);
	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt || sg_alloc_table(sgt, buffer_len() / SGT_SEG, GFP_KERNEL)) {
		kfree(sgt);
		return ERR_PTR(-ENOMEM);
	}
	/* Whole segments only: every range is a multiple of SGT_SEG. */
	sg = sgt->sgl;
	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		for (off = 0; off < ranges[i].len; off += SGT_SEG) {
			sg_dma_address(sg) = ranges[i].addr + off;
			sg_dma_len(sg) = SGT_SEG;
			sg = sg_next(sg);
		}
	}
	exp->maps++;
	return sgt;
}

static void exp_unmap_sgt(struct dma_buf_attachment *attach,
			  struct sg_table *sgt, enum dma_data_direction dir)
{
	struct test_exporter *exp = attach->dmabuf->priv;

	sg_free_table(sgt);
	kfree(sgt);
	exp->maps--;
}

static void exp_release(struct dma_buf *dmabuf)
{
}

static const struct dma_buf_ops exp_dma_sg_ops = {
	.map_dma_sg = exp_map_dma_sg,
	.unmap_dma_sg = exp_unmap_dma_sg,
	.release = exp_release,
};

static const struct dma_buf_ops exp_sgt_ops = {
	.map_dma_buf = exp_map_sgt,
	.unmap_dma_buf = exp_unmap_sgt,
	.release = exp_release,
};

#define MAX_CHUNKS	8

/* What the genpool holds, gathered under its RCU lock and checked after. */
struct chunk_check {
	int chunks;
	struct {
		u64 start;
		u64 dma;
		u64 virtual;
		u64 niovs;
		u64 bad;	/* net_iovs with the wrong DMA address */
	} c[MAX_CHUNKS];
};

static void gather_chunk(struct gen_pool *pool, struct gen_pool_chunk *chunk,
			 void *data)
{
	struct dmabuf_genpool_chunk_owner *owner = chunk->owner;
	struct chunk_check *cc = data;
	size_t i;

	if (cc->chunks++ >= MAX_CHUNKS)
		return;
	cc->c[cc->chunks - 1].start = chunk->start_addr;
	cc->c[cc->chunks - 1].dma = owner->base_dma_addr;
	cc->c[cc->chunks - 1].virtual = owner->base_virtual;
	cc->c[cc->chunks - 1].niovs = owner->num_niovs;
	for (i = 0; i < owner->num_niovs; i++) {
		netmem_ref netmem = net_iov_to_netmem(&owner->niovs[i]);

		cc->c[cc->chunks - 1].bad +=
			page_pool_get_dma_addr_netmem(netmem) !=
			buffer_addr(owner->base_virtual + i * PAGE_SIZE);
	}
}

/* The genpool holds the buffer range by range, each page at its address. */
static void expect_chunks(struct kunit *test,
			  struct net_devmem_dmabuf_binding *binding)
{
	struct chunk_check *cc = kunit_kzalloc(test, sizeof(*cc), GFP_KERNEL);
	u64 bytes = 0;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, cc);
	gen_pool_for_each_chunk(binding->chunk_pool, gather_chunk, cc);
	KUNIT_ASSERT_EQ(test, cc->chunks, (int)ARRAY_SIZE(ranges));
	for (i = 0; i < cc->chunks; i++) {
		KUNIT_EXPECT_EQ(test, cc->c[i].dma,
				(u64)buffer_addr(cc->c[i].virtual));
		KUNIT_EXPECT_EQ(test, cc->c[i].start, cc->c[i].dma);
		KUNIT_EXPECT_EQ(test, cc->c[i].bad, 0ULL);
		bytes += cc->c[i].niovs * PAGE_SIZE;
	}
	KUNIT_EXPECT_EQ(test, bytes, buffer_len());
	KUNIT_EXPECT_EQ(test, (u64)gen_pool_size(binding->chunk_pool),
			buffer_len());
}

static void close_fd_action(void *fd)
{
	close_fd((unsigned long)fd);
	flush_delayed_fput();
}

/* Export a test buffer; its file descriptor is closed when the test ends. */
static int export_fd(struct kunit *test, const struct dma_buf_ops *ops,
		     struct test_exporter *exp)
{
	DEFINE_DMA_BUF_EXPORT_INFO(info);
	struct dma_buf *dmabuf;
	int fd;

	info.ops = ops;
	info.size = buffer_len();
	info.flags = O_RDWR;
	info.priv = exp;
	dmabuf = dma_buf_export(&info);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dmabuf);
	fd = dma_buf_fd(dmabuf, O_CLOEXEC);
	if (fd < 0)
		dma_buf_put(dmabuf);
	KUNIT_ASSERT_GE(test, fd, 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, close_fd_action,
							(void *)(long)fd), 0);
	return fd;
}

static void unbind(struct net_devmem_dmabuf_binding *binding)
{
	rtnl_lock();
	net_devmem_unbind_dmabuf(binding);
	rtnl_unlock();
}

static struct net_devmem_dmabuf_binding *bind(struct net_device *ndev, int fd)
{
	struct net_devmem_dmabuf_binding *binding;

	rtnl_lock();
	binding = net_devmem_bind_dmabuf(ndev, fd, NULL);
	rtnl_unlock();
	return binding;
}

static struct net_device *test_netdev(struct kunit *test)
{
	struct net_device *ndev = alloc_netdev_dummy(0);
	struct device *parent;

	KUNIT_ASSERT_NOT_NULL(test, ndev);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, free_netdev_action,
							ndev), 0);
	parent = kunit_device_register(test, "devmem_kunit");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, parent);
	ndev->dev.parent = parent;
	return ndev;
}

/*
 * Each exporter kind: the genpool holds the buffer as three chunks (the
 * sg_table's segments come merged, since the core hands the binding a
 * dma_sg table), every net_iov has its page's DMA address, and unbinding
 * gives the mapping back.
 */
static void devmem_bind_test(struct kunit *test)
{
	static const struct dma_buf_ops *const ops[] = {
		&exp_dma_sg_ops, &exp_sgt_ops,
	};
	struct net_device *ndev = test_netdev(test);
	int k;

	if (!IS_ENABLED(CONFIG_ARCH_DMA_ADDR_T_64BIT))
		kunit_skip(test, "the ranges need 64-bit DMA addresses");
	for (k = 0; k < ARRAY_SIZE(ops); k++) {
		struct test_exporter *exp = kunit_kzalloc(test, sizeof(*exp),
							  GFP_KERNEL);
		struct net_devmem_dmabuf_binding *binding;
		int fd;

		KUNIT_ASSERT_NOT_NULL(test, exp);
		fd = export_fd(test, ops[k], exp);
		binding = bind(ndev, fd);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, binding);
		KUNIT_EXPECT_EQ(test, exp->maps, 1);
		expect_chunks(test, binding);
		unbind(binding);
		KUNIT_EXPECT_EQ(test, exp->maps, 0);
		kunit_release_action(test, close_fd_action, (void *)(long)fd);
	}
}

/* A map the exporter refuses: the bind fails with its error, holding nothing. */
static void devmem_bind_map_error_test(struct kunit *test)
{
	struct test_exporter *exp = kunit_kzalloc(test, sizeof(*exp),
						  GFP_KERNEL);
	struct net_device *ndev = test_netdev(test);
	struct net_devmem_dmabuf_binding *binding;
	int fd;

	KUNIT_ASSERT_NOT_NULL(test, exp);
	exp->fail = -ENOSPC;
	fd = export_fd(test, &exp_dma_sg_ops, exp);
	binding = bind(ndev, fd);
	if (!IS_ERR(binding))
		unbind(binding);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(binding), -ENOSPC);
	KUNIT_EXPECT_EQ(test, exp->maps, 0);
}

/*
 * Every allocation of a bind, failed in turn: the bind fails and leaves
 * nothing mapped and the dma-buf with only the test's reference; kmemleak
 * sees the rest.
 */
static void devmem_bind_fault_test(struct kunit *test)
{
	struct test_exporter *exp = kunit_kzalloc(test, sizeof(*exp),
						  GFP_KERNEL);
	struct net_device *ndev = test_netdev(test);
	struct net_devmem_dmabuf_binding *binding;
	unsigned int n, left, failures = 0;
	struct kunit_fail_nth fail;
	struct dma_buf *dmabuf;
	int fd;

	if (!IS_ENABLED(CONFIG_ARCH_DMA_ADDR_T_64BIT))
		kunit_skip(test, "the ranges need 64-bit DMA addresses");
	if (kunit_fail_nth_init(&fail, KUNIT_FAIL_NTH_SLEEPING))
		kunit_skip(test, "needs failslab with its debugfs knobs");
	KUNIT_ASSERT_NOT_NULL(test, exp);
	fd = export_fd(test, &exp_sgt_ops, exp);
	dmabuf = dma_buf_get(fd);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dmabuf);
	for (n = 1; n < 100; n++) {
		kunit_fail_nth_arm(&fail, n);
		binding = bind(ndev, fd);
		left = kunit_fail_nth_disarm(&fail);
		if (!IS_ERR(binding)) {
			unbind(binding);
			if (left)
				break;
			continue;
		}
		KUNIT_EXPECT_TRUE_MSG(test, PTR_ERR(binding) == -ENOMEM ||
				      PTR_ERR(binding) == -EINVAL,
				      "fault %u: %ld", n, PTR_ERR(binding));
		KUNIT_EXPECT_EQ_MSG(test, exp->maps, 0, "fault %u", n);
		/* The test's fd and the reference taken above. */
		KUNIT_EXPECT_EQ_MSG(test, file_count(dmabuf->file), 2L,
				    "fault %u", n);
		failures++;
	}
	dma_buf_put(dmabuf);
	kunit_info(test, "%u allocations of a bind failed in turn", failures);
	KUNIT_EXPECT_LT(test, n, 100U);
	/* The binding, its genpool, and an owner and net_iovs per range. */
	KUNIT_EXPECT_GE(test, failures, 2 + 2 * (unsigned int)ARRAY_SIZE(ranges));
	KUNIT_EXPECT_EQ(test, exp->maps, 0);
}

static struct kunit_case devmem_test_cases[] = {
	KUNIT_CASE(devmem_bind_test),
	KUNIT_CASE(devmem_bind_map_error_test),
	KUNIT_CASE(devmem_bind_fault_test),
	{}
};

static struct kunit_suite devmem_test_suite = {
	.name = "net_devmem",
	.test_cases = devmem_test_cases,
};

kunit_test_suite(devmem_test_suite);
