// SPDX-License-Identifier: GPL-2.0
///
/// Move a dma-buf exporter of device memory off scatterlist.  The shape
/// converted is the VRAM export of amdgpu and xe:
///
///  - a builder that takes a "struct sg_table **" and fills an sg_table
///    with no pages, one dma_map_resource() per block of the resource,
///    each block cut to fit a 32-bit sg length;
///  - its free function, which unmaps the entries one by one;
///  - a &dma_buf_ops.map_dma_buf that maps system pages with
///    drm_prime_pages_to_sg() + dma_map_sgtable() and device memory with
///    the builder, and an unmap_dma_buf that tells the two apart by
///    sg_page().
///
/// The builder fills a struct dma_sg_map instead: it collects the blocks
/// as DMA_SG_MAP_MMIO ranges, uncut, and maps them in one
/// dma_sg_map_phys() call, which unmaps all of them itself on failure.
/// The free function goes away: dma_sg_unmap() undoes either kind of
/// mapping.  The exporter's map and unmap become &dma_buf_ops.map_dma_sg
/// and unmap_dma_sg; importers of sg_tables keep working through the
/// dma-buf core's bridge, which cuts entries to their limits.
///
/// The builder keeps its name and parameter names, so that its
/// kernel-doc, which a semantic patch cannot edit, still describes it.
///
// Confidence: High
// Options: --no-includes --include-headers
// Keywords: dma_map_resource sg_set_page map_dma_buf dma_sg
// Comment: report mode lists builders of this shape and the dma-buf ops
//          that use them; context and org mode mark the builders.

virtual context
virtual patch
virtual org
virtual report

//----------------------------------------------------------
//  The builder: identified by its shape
//----------------------------------------------------------

@vram@
identifier fn, sgt, sg, i, mdev, dir, addr, sz;
iterator name for_each_sgtable_sg;
expression P, A;
position p;
@@

 int fn@p(..., struct device *mdev, enum dma_data_direction dir,
	  struct sg_table **sgt)
 {
 <+...
 for_each_sgtable_sg((*sgt), sg, i) {
 ...
 addr = dma_map_resource(mdev, P, sz, dir, A);
 ...
 sg_set_page(sg, NULL, sz, 0);
 ...
 }
 ...+>
 }

@vram_free@
identifier ffn, fdev, fdir, fsgt, fsg, fi;
position fp;
@@

 void ffn@fp(struct device *fdev, enum dma_data_direction fdir,
	     struct sg_table *fsgt)
 {
 <+...
 for_each_sgtable_sg(fsgt, fsg, fi)
	dma_unmap_resource(...);
 ...+>
 }

//----------------------------------------------------------
//  For patch mode: the builder, in place
//----------------------------------------------------------

@depends on patch && !context && !org && !report@
identifier vram.fn, vram.sgt;
@@

 int fn(...,
-	struct sg_table **sgt
+	struct dma_sg_map *sgt
 )
 { ... }

@depends on patch && !context && !org && !report@
identifier vram.fn, vram.sgt;
expression G;
@@

 fn(...) {
 <...
- *sgt = \(kmalloc\|kzalloc\)(sizeof(**sgt), G);
- if (!*sgt)
-	return -ENOMEM;
 ...>
 }

@alloc depends on patch && !context && !org && !report@
identifier vram.fn, vram.sgt, r, l;
expression N, G;
@@

 fn(...) {
 <...
- r = sg_alloc_table(*sgt, N, G);
- if (r)
-	goto l;
+ ranges = kvmalloc_array(N, sizeof(*ranges), G);
+ if (!ranges)
+	return -ENOMEM;
 ...>
 }

@depends on alloc@
identifier vram.fn, vram.sg;
@@

 fn(...) {
 <...
- struct scatterlist *sg;
+ struct dma_sg_phys *ranges;
 ...>
 }

@depends on alloc@
identifier vram.fn, vram.sgt, vram.sg, vram.i;
@@

 fn(...) {
 <...
- for_each_sgtable_sg((*sgt), sg, i)
-	sg->length = 0;
 ...>
 }

@depends on alloc@
identifier vram.fn, vram.sg, vram.sz, vram.addr;
@@

 fn(...) {
 <...
- sg_set_page(sg, NULL, sz, 0);
- sg_dma_address(sg) = addr;
- sg_dma_len(sg) = sz;
 ...>
 }

@depends on alloc@
identifier vram.fn, vram.addr;
@@

 fn(...) {
 <...
- dma_addr_t addr;
 ...>
 }

// Blocks are no longer cut: an entry may be longer than 4 GiB.
@depends on alloc@
identifier vram.fn, vram.sz, cursor, C;
type T;
expression E;
@@

 fn(...) {
 <...
(
- T sz = min(cursor.size, C);
+ u64 sz = cursor.size;
|
- T sz = E;
+ u64 sz = E;
)
 ...>
 }

@nocut depends on alloc@
identifier vram.fn, cursor, C;
@@

 fn(...) {
 <...
- min(cursor.size, C)
+ cursor.size
 ...>
 }

@still_used depends on nocut@
identifier nocut.C;
@@

 C

// The cut was the only use of its limit.
@depends on nocut && !still_used@
identifier nocut.C;
expression E;
@@

-#define C E

@depends on alloc@
identifier vram.fn, vram.sgt, vram.mdev, vram.dir, alloc.r;
expression vram.A, alloc.N, alloc.G;
@@

 fn(...) {
 <...
- return 0;
+ r = dma_sg_map_phys(sgt, mdev, ranges, N, dir, A, G);
 ...>
 }

@depends on alloc@
identifier vram.fn, vram.sgt, vram.sg, vram.i;
@@

 fn(...) {
 <...
- for_each_sgtable_sg((*sgt), sg, i) {
- <+... dma_unmap_resource(...); ...+>
- }
 ...>
 }

@depends on alloc@
identifier vram.fn, vram.sgt;
@@

 fn(...) {
 <...
- sg_free_table(*sgt);
 ...>
 }

@depends on alloc@
identifier vram.fn, vram.sgt;
@@

 fn(...) {
 <...
- kfree(*sgt);
+ kvfree(ranges);
 ...>
 }

@depends on alloc@
identifier vram.fn, l;
@@

 fn(...) {
 <...
-l:
+out:
 kvfree(ranges);
 ...>
 }

// Changing a goto before its new label exists would hide the function
// from the rules above, so this comes after them.
@unmap_label depends on alloc@
identifier vram.fn, vram.mdev, vram.dir, vram.addr, vram.sz, vram.i;
expression vram.P, vram.A;
identifier r, l;
@@

 fn(...) {
 <...
- addr = dma_map_resource(mdev, P, sz, dir, A);
- r = dma_mapping_error(mdev, addr);
+ r = dma_sg_phys_set(&ranges[i], P, sz, DMA_SG_MAP_MMIO, 0);
  if (r)
-	goto l;
+	goto out;
 ...>
 }

@depends on unmap_label@
identifier vram.fn, unmap_label.l;
@@

 fn(...) {
 <...
-l:
 ...>
 }

@depends on alloc@
identifier vram.fn, vram.sgt, vram.sg, vram.i;
expression alloc.N;
statement S;
@@

 fn(...) {
 <...
- for_each_sgtable_sg((*sgt), sg, i)
+ for (i = 0; i < N; i++)
  S
 ...>
 }

// The builder's own free function only, found by its name.
@script:python free_name depends on alloc@
fn << vram.fn;
ffn;
@@

coccinelle.ffn = cocci.make_ident(fn[:-len("alloc_sgt")] + "free_sgt")

@depends on alloc@
identifier free_name.ffn, vram_free.fsgt, vram_free.fsg, vram_free.fi;
@@

- void ffn(...)
- {
- <+... for_each_sgtable_sg(fsgt, fsg, fi) dma_unmap_resource(...); ...+>
- }


//----------------------------------------------------------
//  For patch mode: the prototypes
//----------------------------------------------------------

@proto depends on patch && !context && !org && !report@
identifier fn =~ "_alloc_sgt$";
identifier sgt, dir;
parameter list[5] ps;
@@

+struct dma_sg_map;
 int fn(ps, enum dma_data_direction dir,
-	struct sg_table **sgt
+	struct dma_sg_map *sgt
 );

@depends on proto@
identifier ffn =~ "_free_sgt$", pdev, dir, sgt;
@@

- void ffn(struct device *pdev, enum dma_data_direction dir,
-	   struct sg_table *sgt);

//----------------------------------------------------------
//  For patch mode: the dma-buf map and unmap
//----------------------------------------------------------

@map@
identifier mapf, attach, dir, sgt, l;
expression D, P, N, A;
@@

 static struct sg_table *mapf(struct dma_buf_attachment *attach,
			      enum dma_data_direction dir)
 {
 <+...
 sgt = drm_prime_pages_to_sg(D, P, N);
 if (IS_ERR(sgt))
	return sgt;
 if (dma_map_sgtable(attach->dev, sgt, dir, A))
	goto l;
 ...+>
 }

@mapv@
identifier map.mapf, map.sgt, r, builder =~ "_alloc_sgt$";
@@

 mapf(...)
 {
 <+...
 r = builder(..., &sgt);
 ...+>
 }

@unmap@
identifier unmapf, attach, dir, sgt, freef =~ "_free_sgt$";
@@

 static void unmapf(struct dma_buf_attachment *attach, struct sg_table *sgt,
		    enum dma_data_direction dir)
 {
 if (sg_page(sgt->sgl)) {
 ...
 } else {
 freef(attach->dev, dir, sgt);
 }
 }

@ops depends on mapv && patch && !context && !org && !report@
identifier o, map.mapf, unmap.unmapf;
@@

 struct dma_buf_ops o = {
	...,
-	.map_dma_buf = mapf,
+	.map_dma_sg = mapf,
	...,
-	.unmap_dma_buf = unmapf,
+	.unmap_dma_sg = unmapf,
	...
 };

@depends on ops@
identifier map.mapf, map.sgt, map.attach, map.dir;
@@

-static struct sg_table *mapf(struct dma_buf_attachment *attach,
-			     enum dma_data_direction dir)
+static struct dma_sg_table *
+mapf(struct dma_buf_attachment *attach, enum dma_data_direction dir)
 {
 <...
-	struct sg_table *sgt;
+	struct dma_sg_map *map;
 ...>
 }

@depends on ops@
identifier map.mapf, map.attach, map.dir, map.sgt, mapv.r, map.l;
expression map.D, map.P, map.N, map.A;
@@

 mapf(...)
 {
 <...
- sgt = drm_prime_pages_to_sg(D, P, N);
- if (IS_ERR(sgt))
-	return sgt;
- if (dma_map_sgtable(attach->dev, sgt, dir, A))
+ r = dma_sg_map_pages(map, attach->dev, P, N, 0, (u64)(N) << PAGE_SHIFT,
+		       dir, A, GFP_KERNEL);
+ if (r)
	goto l;
 ...>
 }

@depends on ops@
identifier map.mapf, map.sgt, mapv.r, mapv.builder, map.l;
@@

 mapf(...)
 {
 <...
  r = builder(...,
-	&sgt
+	map
  );
  if (r)
-	return ERR_PTR(r);
+	goto l;
 ...>
 }

@depends on ops@
identifier map.mapf;
expression E, C;
@@

 mapf(...)
 {
 <...
+ map = kzalloc(sizeof(*map), GFP_KERNEL);
+ if (!map)
+	return ERR_PTR(-ENOMEM);
 switch (E) { case C: ... }
 ...>
 }

@depends on ops@
identifier map.mapf, mapv.r, map.l;
expression E, C;
@@

 mapf(...)
 {
 <...
 switch (E) {
 case C: ...
 default:
- return ERR_PTR(-EINVAL);
+ r = -EINVAL;
+ goto l;
 }
 ...>
 }

@depends on ops@
identifier map.mapf, map.sgt;
@@

 mapf(...)
 {
 <...
- return sgt;
+ return &map->table;
 ...>
 }

@depends on ops@
identifier map.mapf, map.sgt, mapv.r;
expression E;
@@

 mapf(...)
 {
 <...
- sg_free_table(sgt);
- kfree(sgt);
- return ERR_PTR(E);
+ kfree(map);
+ return ERR_PTR(r);
 ...>
 }

@depends on ops@
identifier unmap.unmapf, unmap.attach, unmap.dir, unmap.sgt, unmap.freef;
@@

 static void unmapf(struct dma_buf_attachment *attach,
-		    struct sg_table *sgt
+		    struct dma_sg_table *sgt
		    , enum dma_data_direction dir)
 {
+	struct dma_sg_map *map = container_of(sgt, struct dma_sg_map, table);
+
+	dma_sg_unmap(map);
+	kfree(map);
-	if (sg_page(sgt->sgl)) {
-	...
-	} else {
-	freef(attach->dev, dir, sgt);
-	}
 }

// One include per file, after the first of these that it has.
@inc_buf depends on ops || alloc@
@@

 #include <linux/dma-buf.h>
+#include <linux/dma_sg_map.h>

@depends on alloc && !inc_buf@
@@

 #include <drm/drm_buddy.h>
+#include <linux/dma_sg_map.h>

//----------------------------------------------------------
//  For context mode
//----------------------------------------------------------

@depends on context && !patch && !org && !report@
identifier vram.fn;
@@

* int fn(...) { ... }

//----------------------------------------------------------
//  For org and report mode
//----------------------------------------------------------

@script:python depends on report@
fn << vram.fn;
p << vram.p;
@@

coccilib.report.print_report(p[0],
	"INFO: %s builds an sg_table of dma_map_resource() ranges with no pages: map a dma_sg_map instead" % fn)

@script:python depends on report@
fn << vram_free.ffn;
p << vram_free.fp;
@@

coccilib.report.print_report(p[0],
	"INFO: %s unmaps an sg_table of dma_map_resource() ranges: dma_sg_unmap() replaces it" % fn)

@script:python depends on org@
fn << vram.fn;
p << vram.p;
@@

coccilib.org.print_todo(p[0],
	"INFO: %s builds an sg_table of dma_map_resource() ranges with no pages" % fn)
