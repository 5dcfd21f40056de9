// SPDX-License-Identifier: GPL-2.0
///
/// Use ib_umem_dmabuf_mapped() instead of testing a dma-buf umem's sgt
/// field, so that drivers do not depend on the type of the mapping the
/// umem keeps.
///
// Confidence: High
// Options: --no-includes --include-headers
// Keywords: ib_umem_dmabuf sgt
// Comment: needs the umem's type, so it matches struct ib_umem_dmabuf
//          pointers: locals, parameters and to_ib_umem_dmabuf() results.

virtual context
virtual patch
virtual org
virtual report

//----------------------------------------------------------
//  For patch mode
//----------------------------------------------------------

@compare depends on patch && !context && !org && !report@
struct ib_umem_dmabuf *u;
@@

(
- !u->sgt
+ !ib_umem_dmabuf_mapped(u)
|
- u->sgt == NULL
+ !ib_umem_dmabuf_mapped(u)
|
- u->sgt != NULL
+ ib_umem_dmabuf_mapped(u)
)

@mapped depends on patch && !context && !org && !report@
struct ib_umem_dmabuf *u;
statement S1, S2;
@@

(
- if (u->sgt)
+ if (ib_umem_dmabuf_mapped(u))
  S1 else S2
|
- if (u->sgt)
+ if (ib_umem_dmabuf_mapped(u))
  S1
)

//----------------------------------------------------------
//  For context mode
//----------------------------------------------------------

@sgt_context depends on context && !patch && !org && !report@
struct ib_umem_dmabuf *u;
@@

* u->sgt

//----------------------------------------------------------
//  For org and report mode
//----------------------------------------------------------

@sgt_org depends on (org || report) && !context && !patch@
struct ib_umem_dmabuf *u;
position p;
@@

  u->sgt@p

@script:python depends on report@
p << sgt_org.p;
u << sgt_org.u;
@@

coccilib.report.print_report(p[0],
	"WARNING: use ib_umem_dmabuf_mapped() on %s instead of its sgt field" % u)

@script:python depends on org@
p << sgt_org.p;
u << sgt_org.u;
@@

coccilib.org.print_todo(p[0],
	"WARNING: use ib_umem_dmabuf_mapped() on %s instead of its sgt field" % u)
