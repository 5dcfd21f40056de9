// SPDX-License-Identifier: GPL-2.0
///
/// Move a dma-buf exporter of device memory off scatterlist when its
/// entries are filled by a helper.  The shape converted is habanalabs':
///
///  - a helper that maps one MMIO range with dma_map_resource() into a
///    scatterlist entry with no page;
///  - a builder that counts its entries, allocates an sg_table of that
///    many, fills each with the helper and returns the table;
///  - a &dma_buf_ops.map_dma_buf that returns the builder's table, and an
///    unmap_dma_buf that undoes each entry's dma_map_resource().
///
/// The builder collects the ranges as DMA_SG_MAP_MMIO in an array of
/// struct dma_sg_phys instead, maps them all with one dma_sg_map_phys()
/// (one IOVA range through an IOMMU) and returns the mapping's table; the
/// helper goes away, and the ops become map_dma_sg and unmap_dma_sg.  The
/// dma-buf core serves importers of sg_tables through its bridge.
///
// Confidence: High
// Options: --no-includes --include-headers
// Keywords: dma_map_resource sg_set_page map_dma_buf dma_sg
// Comment: report mode lists helpers of this shape.

virtual context
virtual patch
virtual org
virtual report

//----------------------------------------------------------
//  The shapes
//----------------------------------------------------------

@helper@
identifier h, sg, addr, B, S, hdev, hdir;
expression A;
position p;
@@

 static int h@p(struct scatterlist *sg, u64 B, u64 S, struct device *hdev,
		enum dma_data_direction hdir)
 {
 <+...
 addr = dma_map_resource(hdev, B, S, hdir, A);
 ...
 sg_set_page(sg, NULL, S, 0);
 ...+>
 }

@builder@
identifier helper.h, fn, sg, rc, mdev, dir;
expression E1, E2;
@@

 static struct sg_table *fn(..., struct device *mdev,
			    enum dma_data_direction dir)
 {
 <+...
 rc = h(sg, E1, E2, mdev, dir);
 ...+>
 }

@unw@
identifier helper.h, builder.rc, unwind;
expression list es;
@@

 rc = h(es);
 if (rc)
	goto unwind;

@table@
identifier builder.fn, sgt, nents, builder.rc;
@@

 fn(...)
 {
 <+...
 rc = sg_alloc_table(sgt, nents, ...);
 ...+>
 }

@loop@
identifier builder.fn, table.sgt, builder.sg, i;
iterator name for_each_sgtable_dma_sg;
statement S;
@@

 fn(...)
 {
 <+...
 for_each_sgtable_dma_sg(sgt, sg, i) S
 ...+>
 }

//----------------------------------------------------------
//  For patch mode: the builder
//----------------------------------------------------------

@b depends on loop && patch && !context && !org && !report@
identifier builder.fn;
parameter list PL;
@@

-static struct sg_table *fn(PL)
+static struct dma_sg_table *
+fn(PL)
 { ... }

@depends on b@
identifier builder.fn, table.sgt, builder.sg;
@@

 fn(...) {
 <...
(
- struct scatterlist *sg;
+ struct dma_sg_phys *ranges;
|
- struct sg_table *sgt;
+ struct dma_sg_map *map;
)
 ...>
 }

@depends on b@
identifier builder.fn, table.sgt, table.nents, builder.rc, l;
@@

 fn(...) {
 <...
- rc = sg_alloc_table(sgt, nents, ...);
- if (rc)
-	goto l;
+ ranges = kvcalloc(nents, sizeof(*ranges), GFP_KERNEL);
+ if (!ranges) {
+	rc = -ENOMEM;
+	goto l;
+ }
 ...>
 }


@depends on b@
identifier builder.fn, helper.h, builder.sg, loop.i, builder.mdev;
identifier builder.dir, builder.rc;
expression builder.E1, builder.E2;
@@

 fn(...) {
 <...
- rc = h(sg, E1, E2, mdev, dir);
+ rc = dma_sg_phys_set(&ranges[i], E1, E2, DMA_SG_MAP_MMIO, 0);
 ...>
 }

// Only the CPU-side marker of an sg_table with no CPU list.
@depends on b@
identifier builder.fn, table.sgt;
expression E;
@@

 fn(...) {
 <...
- sgt->orig_nents = E;
 ...>
 }

// The entries are printed by the mapping's users; the unwind of each
// entry is dma_sg_map_phys()'s own.
@depends on b@
identifier builder.fn, table.sgt, builder.sg, loop.i;
@@

 fn(...) {
 <...
(
- for_each_sgtable_dma_sg(sgt, sg, i) {
-	if (!sg_dma_len(sg))
-		continue;
-	dma_unmap_resource(...);
- }
|
- for_each_sgtable_dma_sg(sgt, sg, i)
-	dev_dbg(...);
)
 ...>
 }

// The table is mapped once its ranges are all known; a failure leaves
// nothing mapped, so the old unwind only frees the ranges.
@depends on b@
identifier builder.fn, table.sgt, builder.rc, table.nents;
identifier builder.mdev, builder.dir, unw.unwind;
expression helper.A;
@@

 fn(...) {
 <...
(
- sg_free_table(sgt);
+ kvfree(ranges);
|
- return sgt;
+ rc = dma_sg_map_phys(map, mdev, ranges, nents, dir, A, GFP_KERNEL);
+ if (rc)
+	goto unwind;
+ kvfree(ranges);
+ return &map->table;
|
- sgt->nents
+ nents
)
 ...>
 }

@depends on b@
identifier builder.fn, table.sgt, builder.sg, loop.i, table.nents;
statement S;
@@

 fn(...) {
 <...
- for_each_sgtable_dma_sg(sgt, sg, i)
+ for (i = 0; i < nents; i++)
  S
 ...>
 }

// Last, so that the rules above still find the old name.
@depends on b@
identifier builder.fn, table.sgt;
@@

 fn(...) {
 <...
- sgt
+ map
 ...>
 }

@depends on b@
identifier helper.h;
@@

-static int h(...) { ... }

//----------------------------------------------------------
//  For patch mode: the dma-buf ops
//----------------------------------------------------------

@mapf@
identifier builder.fn, mf, attach, dir, sgt;
@@

 static struct sg_table *mf(struct dma_buf_attachment *attach,
			    enum dma_data_direction dir)
 {
 <+...
 sgt = fn(...);
 ...+>
 }

@unmapf@
identifier uf, attach, sgt, dir, sg, i;
@@

 static void uf(struct dma_buf_attachment *attach, struct sg_table *sgt,
		enum dma_data_direction dir)
 {
 <+...
 for_each_sgtable_dma_sg(sgt, sg, i)
	dma_unmap_resource(attach->dev, sg_dma_address(sg), sg_dma_len(sg),
			   dir, ...);
 ...+>
 }

@ops depends on b@
identifier mapf.mf, unmapf.uf, o;
@@

 struct dma_buf_ops o = {
	...,
-	.map_dma_buf = mf,
-	.unmap_dma_buf = uf,
+	.map_dma_sg = mf,
+	.unmap_dma_sg = uf,
	...
 };

@depends on ops@
identifier mapf.mf, mapf.sgt, mapf.attach, mapf.dir;
@@

-static struct sg_table *mf(struct dma_buf_attachment *attach,
-			   enum dma_data_direction dir)
+static struct dma_sg_table *
+mf(struct dma_buf_attachment *attach, enum dma_data_direction dir)
 {
 <...
-	struct sg_table *sgt;
+	struct dma_sg_table *sgt;
 ...>
 }

@depends on ops@
identifier unmapf.uf, unmapf.attach, unmapf.sgt, unmapf.dir, unmapf.sg;
identifier unmapf.i;
expression E;
@@

 static void uf(struct dma_buf_attachment *attach,
-	       struct sg_table *sgt
+	       struct dma_sg_table *sgt
	       , enum dma_data_direction dir)
 {
-	struct scatterlist *sg;
-	int i;
-	for_each_sgtable_dma_sg(sgt, sg, i)
-		dma_unmap_resource(...);
-	sgt->orig_nents = E;
-	sg_free_table(sgt);
-	kfree(sgt);
+	struct dma_sg_map *map = container_of(sgt, struct dma_sg_map, table);
+
+	dma_sg_unmap(map);
+	kfree(map);
 }

@depends on ops@
@@

 #include <linux/pci-p2pdma.h>
+#include <linux/dma_sg_map.h>

//----------------------------------------------------------
//  For context mode
//----------------------------------------------------------

@depends on context && !patch && !org && !report@
identifier helper.h;
@@

* static int h(...) { ... }

//----------------------------------------------------------
//  For org and report mode
//----------------------------------------------------------

@script:python depends on report@
h << helper.h;
p << helper.p;
@@

coccilib.report.print_report(p[0],
	"INFO: %s maps an MMIO range into a scatterlist entry with no page: build dma_sg_phys ranges instead" % h)

@script:python depends on org@
h << helper.h;
p << helper.p;
@@

coccilib.org.print_todo(p[0],
	"INFO: %s maps an MMIO range into a scatterlist entry with no page" % h)
