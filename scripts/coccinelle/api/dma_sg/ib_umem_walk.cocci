// SPDX-License-Identifier: GPL-2.0
///
/// Walk a umem's pinned pages with ib_umem_for_each_page() and its DMA
/// ranges with ib_umem_for_each_dma_range(), instead of iterating over
/// umem->sgt_append, so that drivers do not depend on how the umem
/// stores its pages and its DMA mapping.
///
// Confidence: High
// Options: --no-includes --include-headers
// Keywords: ib_umem sgt_append for_each_sgtable_page sg_page_iter
// Keywords: for_each_sgtable_dma_sg
// Comment: matches the field name sgt_append, not the umem's type.  A
//          static helper that takes the umem's sg_table as a parameter
//          is given the umem instead, when every call in the file passes
//          one and the table is only used to start a page walk.

virtual context
virtual patch
virtual org
virtual report

//----------------------------------------------------------
//  For context mode
//----------------------------------------------------------

@walk_context depends on context && !patch && !org && !report@
iterator name for_each_sgtable_page, for_each_sgtable_dma_sg;
expression U, E;
identifier f;
@@

(
* for_each_sgtable_page(&U->sgt_append.sgt, ...) { ... }
|
* for_each_sgtable_dma_sg(&U->sgt_append.sgt, ...) { ... }
|
* E = &U->sgt_append.sgt
|
* f(..., &U->sgt_append.sgt, ...)
)

//----------------------------------------------------------
//  For patch mode
//----------------------------------------------------------

// A static helper that is handed &umem->sgt_append.sgt takes the umem,
// when every call in the file passes a umem's table.
@initialize:python@
@@

not_umem = set()

@helper_call depends on patch && !context && !org && !report@
identifier f;
expression U;
expression list[n] es;
@@

  f(es, &U->sgt_append.sgt, ...)

@helper_arg depends on helper_call@
identifier helper_call.f;
expression E;
expression list[helper_call.n] es;
@@

  f(es, E, ...)

@script:python@
f << helper_call.f;
e << helper_arg.E;
@@

e = ''.join(e.split())
if not (e.startswith('&') and e.endswith('->sgt_append.sgt')):
	not_umem.add(f)

@helper_def depends on helper_call@
identifier helper_call.f, S, I;
parameter list[helper_call.n] ps;
type T;
@@

  static T f(ps, struct sg_table *S, ...)
  {
  ... when != S
  __sg_page_iter_start(&I, S->sgl, S->orig_nents, 0);
  ... when != S
  }

// The helper is renamed from ..._sgt to ..._umem, and its parameter to
// umem, so that neither name says sg_table any more.
@script:python helper_safe@
f << helper_call.f;
s << helper_def.S;
g;
h;
v;
@@

if f in not_umem:
	cocci.include_match(False)
else:
	coccinelle.g = f
	coccinelle.h = f.replace('sgt', 'umem') if 'sgt' in f else f
	coccinelle.v = 'umem' if s in ('sgt', 'table', 'sg_table') else s

@helper_param depends on patch@
identifier helper_safe.g, helper_safe.h, helper_safe.v;
identifier helper_def.S, helper_def.I;
parameter list[helper_call.n] ps;
type T;
@@

  static T
- g(ps, struct sg_table *S
+ h(ps, struct ib_umem *v
  , ...)
  {
  <...
- __sg_page_iter_start(&I, S->sgl, S->orig_nents, 0)
+ ib_umem_page_iter_start(&I, v)
  ...>
  }

@helper_args depends on patch && helper_param@
identifier helper_safe.g, helper_safe.h;
expression U;
expression list[helper_call.n] es;
@@

- g(es, &U->sgt_append.sgt
+ h(es, U
  , ...)

// A local sg_table pointing at the umem's, used to start a page walk.
@local_start depends on patch && !context && !org && !report@
identifier S, I;
expression U;
@@

- S = &U->sgt_append.sgt;
  ... when != S = ...
- __sg_page_iter_start(&I, S->sgl, S->orig_nents, 0);
+ ib_umem_page_iter_start(&I, U);
  ... when != S

@local_start_decl depends on patch && local_start@
identifier local_start.S;
@@

- struct sg_table *S;
  ... when != S

@direct_start depends on patch && !context && !org && !report@
identifier I;
expression U;
@@

- __sg_page_iter_start(&I, U->sgt_append.sgt.sgl, U->sgt_append.sgt.orig_nents, 0)
+ ib_umem_page_iter_start(&I, U)

@page_loop depends on patch && !context && !org && !report@
iterator name for_each_sgtable_page, ib_umem_for_each_page;
identifier I;
expression U;
statement B;
@@

- for_each_sgtable_page(&U->sgt_append.sgt, &I, 0)
+ ib_umem_for_each_page(U, &I)
  B

// The page iterator of any of the walks above changes type.
@page_iter_started depends on patch@
identifier fn, I;
expression U;
@@

  fn(...) { <... ib_umem_page_iter_start(&I, U) ...> }

@page_iter_looped depends on patch@
iterator name ib_umem_for_each_page;
identifier fn, I;
expression U;
statement S;
@@

  fn(...) { <... ib_umem_for_each_page(U, &I) S ...> }

@started_uses depends on patch@
identifier page_iter_started.fn, page_iter_started.I;
@@

  fn(...) {
  <...
(
- struct sg_page_iter I;
+ struct ib_umem_page_iter I;
|
- __sg_page_iter_next(&I)
+ ib_umem_page_iter_next(&I)
|
- sg_page_iter_page(&I)
+ ib_umem_page_iter_page(&I)
)
  ...>
  }

@looped_uses depends on patch@
identifier page_iter_looped.fn, page_iter_looped.I;
@@

  fn(...) {
  <...
(
- struct sg_page_iter I;
+ struct ib_umem_page_iter I;
|
- __sg_page_iter_next(&I)
+ ib_umem_page_iter_next(&I)
|
- sg_page_iter_page(&I)
+ ib_umem_page_iter_page(&I)
)
  ...>
  }

// DMA ranges: the cursor becomes a struct ib_umem_dma_range.  The loop
// counter goes away, so a function that reads it in the loop or after it
// is left for report mode.
@dma_counter_used exists@
iterator name for_each_sgtable_dma_sg;
identifier fn, sg, i;
expression U;
statement B;
position p;
@@

  fn@p(...) {
  ... when any
(
  for_each_sgtable_dma_sg(&U->sgt_append.sgt, sg, i) { <+... i ...+> }
|
  for_each_sgtable_dma_sg(&U->sgt_append.sgt, sg, i) B
  ... when any
  i
)
  ... when any
  }

@dma_loop depends on patch && !context && !org && !report@
iterator name for_each_sgtable_dma_sg, ib_umem_for_each_dma_range;
identifier fn, sg, i;
expression U;
statement B;
position p != dma_counter_used.p;
@@

  fn@p(...) {
  <...
- for_each_sgtable_dma_sg(&U->sgt_append.sgt, sg, i)
+ ib_umem_for_each_dma_range(U, sg)
  B
  ...>
  }

@dma_loop_uses depends on patch@
identifier dma_loop.fn, dma_loop.sg;
@@

  fn(...) {
  <...
(
- struct scatterlist *sg;
+ struct ib_umem_dma_range sg;
|
- sg_dma_address(sg)
+ sg.addr
|
- sg_dma_len(sg)
+ sg.len
)
  ...>
  }

@dma_loop_counter depends on patch@
identifier dma_loop.fn, dma_loop.i;
type T;
@@

  fn(...) {
  ...
- T i;
  ... when != i
  }

//----------------------------------------------------------
//  For org and report mode
//----------------------------------------------------------

@walk_org depends on (org || report) && !context && !patch@
expression U;
position p;
@@

  &U->sgt_append.sgt@p

@script:python depends on report@
p << walk_org.p;
u << walk_org.U;
@@

coccilib.report.print_report(p[0],
	"WARNING: walk %s with ib_umem_for_each_page() or ib_umem_for_each_dma_range()" % u)

@script:python depends on org@
p << walk_org.p;
u << walk_org.U;
@@

coccilib.org.print_todo(p[0],
	"WARNING: walk %s with ib_umem_for_each_page() or ib_umem_for_each_dma_range()" % u)
