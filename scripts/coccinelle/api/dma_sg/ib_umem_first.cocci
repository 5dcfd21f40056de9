// SPDX-License-Identifier: GPL-2.0
///
/// Use ib_umem_first_dma_addr() and ib_umem_first_page() instead of
/// reading the first entry of a umem's scatterlist, so that drivers do
/// not depend on how the umem stores its DMA mapping.
///
// Confidence: High
// Options: --no-includes --include-headers
// Keywords: ib_umem sgt_append sg_dma_address sg_page sg_virt
// Comment: matches the field name sgt_append, not the umem's type, so a
//          umem reached through any expression is found.

virtual context
virtual patch
virtual org
virtual report

//----------------------------------------------------------
//  For patch mode
//----------------------------------------------------------

// Through a local: sg = umem->sgt_append.sgt.sgl; ... sg_dma_address(sg).
// The reads are rewritten first; the assignment and the declaration go
// only once nothing else reads the local.
@local_first depends on patch && !context && !org && !report@
identifier sg;
expression U;
@@

  sg = U->sgt_append.sgt.sgl;
  <... when != sg = ...
(
- sg_dma_address(sg)
+ ib_umem_first_dma_addr(U)
|
- sg_page(sg)
+ ib_umem_first_page(U)
)
  ...>

@local_dead depends on patch && local_first@
identifier local_first.sg;
expression local_first.U;
@@

- sg = U->sgt_append.sgt.sgl;
  ... when != sg

@local_unused depends on patch && local_dead@
identifier local_first.sg;
type T;
@@

- T *sg;
  ... when != sg

@direct_first depends on patch && !context && !org && !report@
expression U;
@@

(
- sg_dma_address(U->sgt_append.sgt.sgl)
+ ib_umem_first_dma_addr(U)
|
- sg_page(U->sgt_append.sgt.sgl)
+ ib_umem_first_page(U)
|
- sg_virt(U->sgt_append.sgt.sgl)
+ page_address(ib_umem_first_page(U))
)

//----------------------------------------------------------
//  For context mode
//----------------------------------------------------------

@first_context depends on context && !patch && !org && !report@
expression U;
@@

(
* sg_dma_address(U->sgt_append.sgt.sgl)
|
* sg_page(U->sgt_append.sgt.sgl)
|
* sg_virt(U->sgt_append.sgt.sgl)
|
* U->sgt_append.sgt.sgl
)

//----------------------------------------------------------
//  For org and report mode
//----------------------------------------------------------

@first_org depends on (org || report) && !context && !patch@
expression U;
position p;
@@

  U->sgt_append.sgt.sgl@p

@script:python depends on report@
p << first_org.p;
u << first_org.U;
@@

coccilib.report.print_report(p[0],
	"WARNING: use ib_umem_first_dma_addr() or ib_umem_first_page() on %s" % u)

@script:python depends on org@
p << first_org.p;
u << first_org.U;
@@

coccilib.org.print_todo(p[0],
	"WARNING: use ib_umem_first_dma_addr() or ib_umem_first_page() on %s" % u)
