// SPDX-License-Identifier: GPL-2.0
///
/// Move the export of a one-range MMIO buffer off scatterlist, for an
/// exporter whose other buffers keep their sg_table path.  The shape
/// converted is virtio-gpu's VRAM blob export:
///
///  - a function that returns an sg_table with one entry and no page,
///    made of one dma_map_resource(), or an empty sg_table for a peer
///    that reaches the buffer by other means;
///  - its unmap, which undoes that one dma_map_resource();
///  - &dma_buf_ops.map_dma_buf and unmap_dma_buf wrappers that send one
///    kind of buffer to those two and the rest to a generic helper.
///
/// The mapping becomes a struct dma_sg_map made by dma_sg_map_phys() of
/// one DMA_SG_MAP_MMIO range, and the wrapper is split in two: the new
/// &dma_buf_ops.map_dma_sg maps the MMIO buffers and declines the rest
/// with -EOPNOTSUPP, and map_dma_buf declines the MMIO buffers.  The
/// dma-buf core serves a declined buffer through the other op, so
/// importers of both kinds keep working.
///
// Confidence: High
// Options: --no-includes --include-headers
// Keywords: dma_map_resource sg_set_page map_dma_buf dma_sg
// Comment: report mode lists functions of the first shape.

virtual context
virtual patch
virtual org
virtual report

//----------------------------------------------------------
//  The shapes
//----------------------------------------------------------

@one@
identifier fn =~ "_map_dma_buf$", sgt, addr, ret, mdev, dir;
expression P, S, A, G;
position p;
@@

 struct sg_table *fn@p(..., struct device *mdev, enum dma_data_direction dir)
 {
 <+...
 ret = sg_alloc_table(sgt, 1, G);
 ...
 addr = dma_map_resource(mdev, P, S, dir, A);
 ...
 sg_set_page(sgt->sgl, NULL, S, 0);
 ...+>
 }

@one_unmap@
identifier ufn =~ "_unmap_dma_buf$", udev, usgt, udir;
expression UA;
position up;
@@

 void ufn@up(struct device *udev, struct sg_table *usgt,
	     enum dma_data_direction udir)
 {
 <+...
 dma_unmap_resource(udev, sg_dma_address(usgt->sgl), sg_dma_len(usgt->sgl),
		    udir, UA);
 ...+>
 }

@script:python names@
fn << one.fn;
nf;
@@

coccinelle.nf = cocci.make_ident(fn[:-len("dma_buf")] + "dma_sg")

//----------------------------------------------------------
//  For patch mode: the map
//----------------------------------------------------------

@m depends on patch && !context && !org && !report@
identifier one.fn, names.nf, one.mdev, one.dir;
parameter list[1] ps;
@@

-struct sg_table *fn(ps, struct device *mdev, enum dma_data_direction dir)
+struct dma_sg_table *nf(ps, struct device *mdev, enum dma_data_direction dir)
 { ... }

@depends on m@
identifier names.nf, one.sgt, one.addr;
@@

 nf(...) {
 <...
- struct sg_table *sgt;
- dma_addr_t addr;
+ struct dma_sg_phys range;
+ struct dma_sg_map *map;
 ...>
 }

@depends on m@
identifier names.nf, one.sgt, one.ret, l;
expression one.G;
@@

 nf(...) {
 <...
- ret = sg_alloc_table(sgt, 1, G);
- if (ret)
-	goto l;
 ...>
 }

@depends on m@
identifier names.nf, one.sgt, one.addr, one.ret, one.mdev, one.dir, l;
expression one.P, one.S, one.A;
@@

 nf(...) {
 <...
- addr = dma_map_resource(mdev, P, S, dir, A);
- ret = dma_mapping_error(mdev, addr);
+ ret = dma_sg_phys_set(&range, P, S, DMA_SG_MAP_MMIO, 0);
+ if (ret)
+	goto l;
+ ret = dma_sg_map_phys(sgt, mdev, &range, 1, dir, A, GFP_KERNEL);
  if (ret)
	goto l;
 ...>
 }

@depends on m@
identifier names.nf, one.sgt, one.addr;
expression one.S;
@@

 nf(...) {
 <...
- sg_set_page(sgt->sgl, NULL, S, 0);
- sg_dma_address(sgt->sgl) = addr;
- sg_dma_len(sgt->sgl) = S;
 ...>
 }

@depends on m@
identifier names.nf, one.sgt;
@@

 nf(...) {
 <...
- sg_free_table(sgt);
 ...>
 }

@depends on m@
identifier names.nf, one.sgt;
@@

 nf(...) {
 <...
- return sgt;
+ return &sgt->table;
 ...>
 }

// Last, so that the rules above still find the old name.
@depends on m@
identifier names.nf, one.sgt;
@@

 nf(...) {
 <...
- sgt
+ map
 ...>
 }

@depends on m@
@@

 #include <linux/dma-mapping.h>
+#include <linux/dma_sg_map.h>

//----------------------------------------------------------
//  For patch mode: the unmap
//----------------------------------------------------------

@script:python unames@
ufn << one_unmap.ufn;
unf;
@@

coccinelle.unf = cocci.make_ident(ufn[:-len("dma_buf")] + "dma_sg")

@unmap_fn depends on patch && !context && !org && !report@
identifier one_unmap.ufn, unames.unf;
@@

 void ufn(...) { ... }
+void unf(struct dma_sg_table *table)
+{
+	struct dma_sg_map *map = container_of(table, struct dma_sg_map, table);
+
+	dma_sg_unmap(map);
+	kfree(map);
+}

@depends on unmap_fn@
identifier one_unmap.ufn;
@@

-void ufn(...) { ... }

//----------------------------------------------------------
//  For patch mode: the prototypes
//----------------------------------------------------------

@proto depends on patch && !context && !org && !report@
identifier fn =~ "_map_dma_buf$", mdev, dir;
parameter list[1] ps;
@@

 struct sg_table *fn(ps, struct device *mdev, enum dma_data_direction dir);

@script:python pnames@
fn << proto.fn;
nf;
@@

coccinelle.nf = cocci.make_ident(fn[:-len("dma_buf")] + "dma_sg")

@depends on proto@
identifier proto.fn, pnames.nf, proto.mdev, proto.dir;
parameter list[1] proto.ps;
@@

-struct sg_table *fn(ps, struct device *mdev, enum dma_data_direction dir);
+struct dma_sg_table *nf(ps, struct device *mdev, enum dma_data_direction dir);

@depends on proto@
identifier pnames.nf;
@@

+struct dma_sg_table;
 struct dma_sg_table *nf(...);

@uproto depends on proto@
identifier ufn =~ "_unmap_dma_buf$", udev, usgt, udir;
@@

 void ufn(struct device *udev, struct sg_table *usgt,
	  enum dma_data_direction udir);

@script:python upnames@
huf << uproto.ufn;
hunf;
@@

coccinelle.hunf = cocci.make_ident(huf[:-len("dma_buf")] + "dma_sg")

// "void" stays context: spatch 1.1.1 loses a script-made name that
// follows a "void" it has to re-emit.
@depends on uproto@
identifier uproto.ufn, upnames.hunf, uproto.udev, uproto.usgt, uproto.udir;
@@

 void
-ufn(struct device *udev, struct sg_table *usgt, enum dma_data_direction udir)
+hunf(struct dma_sg_table *table)
 ;

//----------------------------------------------------------
//  For patch mode: the dma-buf wrappers
//----------------------------------------------------------

@wrap@
identifier W, attach, dir, o, b, vfn =~ "_map_dma_buf$", other;
type T1, T2;
expression E1, E2, C;
expression list ARGS;
@@

 static struct sg_table *
 W(struct dma_buf_attachment *attach, enum dma_data_direction dir)
 {
	T1 o = E1;
	T2 b = E2;

	if (C)
		return vfn(ARGS);
	return other(attach, dir);
 }

@uwrap@
identifier U, attach, sgt, dir, o, b, ufn =~ "_unmap_dma_buf$", uother;
type T1, T2;
expression E1, E2, C;
@@

 static void U(struct dma_buf_attachment *attach, struct sg_table *sgt,
	       enum dma_data_direction dir)
 {
	T1 o = E1;
	T2 b = E2;

	if (C) {
		ufn(attach->dev, sgt, dir);
		return;
	}
	uother(attach, sgt, dir);
 }

@script:python wnames@
wfn << wrap.W;
ufn0 << uwrap.U;
vfn << wrap.vfn;
ufn << uwrap.ufn;
w2;
u2;
vfn2;
ufn2;
@@

coccinelle.w2 = cocci.make_ident(wfn.replace("dma_buf", "dma_sg"))
coccinelle.u2 = cocci.make_ident(ufn0.replace("dma_buf", "dma_sg"))
coccinelle.vfn2 = cocci.make_ident(vfn[:-len("dma_buf")] + "dma_sg")
coccinelle.ufn2 = cocci.make_ident(ufn[:-len("dma_buf")] + "dma_sg")

// The ops, at the top of the initializer or one level down (virtio's
// struct virtio_dma_buf_ops wraps a struct dma_buf_ops).
@ops depends on patch && !context && !org && !report@
identifier wrap.W, uwrap.U, uwrap.uother, wnames.w2, wnames.u2, x, f;
type T;
@@

(
 T x = {
	...,
	.map_dma_buf = W,
-	.unmap_dma_buf = U,
+	.unmap_dma_buf = uother,
+	.map_dma_sg = w2,
+	.unmap_dma_sg = u2,
	...
 };
|
 T x = {
	.f = {
	...,
	.map_dma_buf = W,
-	.unmap_dma_buf = U,
+	.unmap_dma_buf = uother,
+	.map_dma_sg = w2,
+	.unmap_dma_sg = u2,
	...
	},
	...
 };
)

@depends on ops@
identifier wrap.W, wrap.attach, wrap.dir, wrap.o, wrap.b, wrap.vfn;
identifier wrap.other, wnames.w2, wnames.vfn2;
type wrap.T1, wrap.T2;
expression wrap.E1, wrap.E2, wrap.C;
expression list wrap.ARGS;
@@

 static struct sg_table *
 W(struct dma_buf_attachment *attach, enum dma_data_direction dir)
 {
	T1 o = E1;
	T2 b = E2;

	if (C)
-		return vfn(ARGS);
+		return ERR_PTR(-EOPNOTSUPP);
	return other(attach, dir);
 }
+
+static struct dma_sg_table *
+w2(struct dma_buf_attachment *attach, enum dma_data_direction dir)
+{
+	T1 o = E1;
+	T2 b = E2;
+
+	if (!C)
+		return ERR_PTR(-EOPNOTSUPP);
+	return vfn2(ARGS);
+}

@depends on ops@
identifier uwrap.U, wnames.u2, wnames.ufn2;
@@

 static void U(...) { ... }
+
+static void u2(struct dma_buf_attachment *attach, struct dma_sg_table *table,
+	       enum dma_data_direction dir)
+{
+	ufn2(table);
+}

@depends on ops@
identifier uwrap.U;
@@

-static void U(...) { ... }

//----------------------------------------------------------
//  For context mode
//----------------------------------------------------------

@depends on context && !patch && !org && !report@
identifier one.fn;
@@

* struct sg_table *fn(...) { ... }

//----------------------------------------------------------
//  For org and report mode
//----------------------------------------------------------

@script:python depends on report@
fn << one.fn;
p << one.p;
@@

coccilib.report.print_report(p[0],
	"INFO: %s maps one MMIO range into an sg_table with no page: map a dma_sg_map instead" % fn)

@script:python depends on org@
fn << one.fn;
p << one.p;
@@

coccilib.org.print_todo(p[0],
	"INFO: %s maps one MMIO range into an sg_table with no page" % fn)
