// SPDX-License-Identifier: GPL-2.0
///
/// Move a dma-buf importer off scatterlist where it keeps the mapping of
/// its attachment in a structure and reads nothing of it but the DMA
/// address and length of each segment.  The shape converted is the
/// devmem TCP binding's:
///
///  - a field of a structure holds what dma_buf_map_attachment() (or its
///    _unlocked form) returned, and the file uses that field for nothing
///    but the map, its error check, dma_buf_unmap_attachment() and a
///    for_each_sgtable_dma_sg() walk;
///  - the walk reads each segment through sg_dma_address() and
///    sg_dma_len() only, and its index is used nowhere else.
///
/// The field becomes a const struct dma_sg_table pointer mapped with
/// dma_buf_map_attachment_dma_sg(), the walk dma_sg_for_each(), and the
/// segment's address and length the entry's addr and len.  Entries are
/// then not limited to 4 GiB, and an exporter of the dma_sg op is read
/// with no sg_table built for the importer.
///
// Confidence: High
// Options: --local-includes --include-headers
// Keywords: dma_buf_map_attachment for_each_sgtable_dma_sg sg_dma_address
// Comment: the structure is changed in the header the .c file includes,
//  so the .c file must be processed with its local includes.  Report mode
//  lists each use of such a field, or of a walk's segment or index, that
//  keeps the conversion from being made.

virtual context
virtual patch
virtual org
virtual report

@initialize:python@
@@

report_mode = False
uses = {}       # (struct, field) -> {position key: position}
allowed = {}    # (struct, field) -> set of position keys
loops = {}      # (struct, field) -> [(file, first line, last line)]


def pos(p):
    return (p[0].file, int(p[0].line), int(p[0].column))


def add_use(S, F, q):
    uses.setdefault((S, F), {})[pos(q)] = q[0]


def add_ok(S, F, q):
    allowed.setdefault((S, F), set()).add(pos(q))


def in_loop(S, F, q):
    line = int(q[0].line)
    return any(f == q[0].file and first <= line <= last
               for f, first, last in loops.get((S, F), []))


def blocking(S, F):
    return sorted(set(uses.get((S, F), {})) - allowed.get((S, F), set()))


//----------------------------------------------------------
//  The shape: an import kept in a field
//----------------------------------------------------------

@script:python depends on report@
@@

report_mode = True

@imp@
identifier F, S;
struct S *X;
expression A, D;
@@

(
 X->F = dma_buf_map_attachment_unlocked(A, D)
|
 X->F = dma_buf_map_attachment(A, D)
)

// Every use of the field, and the uses the conversion knows how to make.
@use@
identifier imp.F, imp.S;
struct S *E;
position q;
@@

 E->F@q

@script:python@
S << imp.S;
F << imp.F;
q << use.q;
@@

add_use(S, F, q)

@ok@
identifier imp.F, imp.S;
struct S *E;
expression A, D;
position q;
@@

(
 E->F@q = dma_buf_map_attachment_unlocked(A, D)
|
 E->F@q = dma_buf_map_attachment(A, D)
|
 IS_ERR(E->F@q)
|
 PTR_ERR(E->F@q)
|
 dma_buf_unmap_attachment_unlocked(A, E->F@q, D)
|
 dma_buf_unmap_attachment(A, E->F@q, D)
)

@script:python@
S << imp.S;
F << imp.F;
q << ok.q;
@@

add_ok(S, F, q)

@walk@
identifier imp.F, imp.S;
struct S *E;
identifier fn, sg, i;
iterator name for_each_sgtable_dma_sg;
statement B;
position q, bp;
@@

 fn(...)
 {
 <+...
 for_each_sgtable_dma_sg(E->F@q, sg, i) B@bp
 ...+>
 }

@script:python@
S << imp.S;
F << imp.F;
q << walk.q;
bp << walk.bp;
@@

add_ok(S, F, q)
loops.setdefault((S, F), []).append(
    (bp[0].file, int(q[0].line), int(bp[0].line_end)))

// The walk's segment and index, in the loop: every use, and the ones it
// rewrites.  Uses elsewhere in the function would not survive the change
// of type either, but the loop is where the shape reads them.
@seg@
identifier walk.sg, walk.i;
position q;
@@

(
 sg@q
|
 i@q
)

@script:python@
S << imp.S;
F << imp.F;
q << seg.q;
@@

if in_loop(S, F, q):
    add_use(S, F, q)

@segok@
identifier walk.sg;
position q;
@@

(
 sg_dma_address(sg@q)
|
 sg_dma_len(sg@q)
)

@script:python@
S << imp.S;
F << imp.F;
q << segok.q;
@@

add_ok(S, F, q)

@seghead@
identifier imp.F, imp.S, walk.sg, walk.i;
struct S *E;
iterator name for_each_sgtable_dma_sg;
statement B;
position q1, q2;
@@

 for_each_sgtable_dma_sg(E->F, sg@q1, i@q2) B

@script:python@
S << imp.S;
F << imp.F;
q1 << seghead.q1;
q2 << seghead.q2;
@@

add_ok(S, F, q1)
add_ok(S, F, q2)

//----------------------------------------------------------
//  For org and report mode: what keeps a field an sg_table
//----------------------------------------------------------

@script:python depends on report || org@
F << imp.F;
S << imp.S;
@@

left = blocking(S, F)
if left:
    msg = ("INFO: struct %s.%s holds a dma-buf import; %d use(s) of it or "
           "of its walk, the first here, are not a map, an unmap or a "
           "DMA-only walk: left as sg_table" % (S, F, len(left)))
    first = uses[(S, F)][left[0]]
    if report_mode:
        coccilib.report.print_report(first, msg)
    else:
        coccilib.org.print_todo(first, msg)

// Convert only if nothing else touches the field or the walk.
@script:python safe@
S << imp.S;
F << imp.F;
fld;
@@

if blocking(S, F):
    cocci.include_match(False)
else:
    coccinelle.fld = F

//----------------------------------------------------------
//  For patch mode
//----------------------------------------------------------

@depends on patch && !context && !org && !report@
identifier safe.fld, imp.S;
@@

 struct S {
 ...
- struct sg_table *fld;
+ const struct dma_sg_table *fld;
 ...
 };

@depends on patch && !context && !org && !report@
identifier safe.fld, imp.S;
struct S *X;
expression A, D;
@@

(
 X->fld =
- dma_buf_map_attachment_unlocked(A, D)
+ dma_buf_map_attachment_dma_sg_unlocked(A, D)
|
 X->fld =
- dma_buf_map_attachment(A, D)
+ dma_buf_map_attachment_dma_sg(A, D)
|
- dma_buf_unmap_attachment_unlocked(A, X->fld, D)
+ dma_buf_unmap_attachment_dma_sg_unlocked(A, X->fld, D)
|
- dma_buf_unmap_attachment(A, X->fld, D)
+ dma_buf_unmap_attachment_dma_sg(A, X->fld, D)
)

@conv depends on patch && !context && !org && !report@
identifier safe.fld, imp.S, walk.fn, walk.sg, walk.i;
struct S *E;
iterator name for_each_sgtable_dma_sg, dma_sg_for_each;
@@

 fn(...)
 {
 <...
- struct scatterlist *sg;
+ struct dma_sg *sg;
 ...
- for_each_sgtable_dma_sg(E->fld, sg, i)
+ dma_sg_for_each(E->fld, sg, i)
 {
 <...
(
- sg_dma_address(sg)
+ sg->addr
|
- sg_dma_len(sg)
+ sg->len
)
 ...>
 }
 ...>
 }

// The index becomes the walk's cursor; the declaration may list others.
@depends on conv@
identifier walk.fn, walk.i;
type T;
@@

 fn(...)
 {
 <...
- T i;
 ...>
 }

@depends on conv@
identifier walk.fn, walk.sg, walk.i;
@@

 fn(...)
 {
 ...
 struct dma_sg *sg;
+ struct dma_sg_iter i;
 ...
 }

@depends on conv@
@@

 #include <linux/dma-buf.h>
+#include <linux/dma_sg.h>

//----------------------------------------------------------
//  For context, org and report mode: what keeps a field as it is
//----------------------------------------------------------
