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
///  - the function of the walk uses its segment for nothing but
///    sg_dma_address() and sg_dma_len() inside the walk, and its index
///    for nothing at all.
///
/// The field becomes a const struct dma_sg_table pointer mapped with
/// dma_buf_map_attachment_dma_sg(), and the walk dma_sg_for_each_piece()
/// in pieces of at most 2 GiB: no piece is longer than a scatterlist
/// segment could be, so the importer's sizes and types still hold, and
/// pieces of page-aligned entries stay page aligned.  An exporter of the
/// dma_sg op is then read with no sg_table built for the importer.
///
// Confidence: Moderate
// Options: --local-includes --include-headers
// Keywords: dma_buf_map_attachment for_each_sgtable_dma_sg sg_dma_address
// Comment: the structure is changed in the header that the .c file
//  includes, so the .c file is processed with its local includes.  Uses of
//  the field in other .c files that include that header are not seen:
//  build them.  Report mode names, for each field that holds an import but
//  is not converted, the first use that prevents it.

virtual context
virtual patch
virtual org
virtual report

@initialize:python@
@@

report_mode = False
state = {'file': None}
uses = {}       # (struct, field) -> {position key: position}
allowed = {}    # (struct, field) -> set of position keys
loops = {}      # (struct, field) -> [(function, first line, last line)]


def new_file(name):
    """Forget what an earlier file of the same run told."""
    if state['file'] != name:
        state['file'] = name
        uses.clear()
        allowed.clear()
        loops.clear()


def pos(p):
    return (p[0].file, int(p[0].line), int(p[0].column))


def add_use(S, F, q):
    uses.setdefault((S, F), {})[pos(q)] = q[0]


def add_ok(S, F, q):
    allowed.setdefault((S, F), set()).add(pos(q))


def in_loop(S, F, q):
    line = int(q[0].line)
    return any(fn == q[0].current_element and first <= line <= last
               for fn, first, last in loops.get((S, F), []))


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
position p;
@@

(
 X->F = dma_buf_map_attachment_unlocked@p(A, D)
|
 X->F = dma_buf_map_attachment@p(A, D)
)

@script:python@
p << imp.p;
@@

new_file(p[0].file)

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

@usedot@
identifier imp.F, imp.S;
struct S E;
position q;
@@

 E.F@q

@script:python@
S << imp.S;
F << imp.F;
q << usedot.q;
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
fn << walk.fn;
q << walk.q;
bp << walk.bp;
@@

add_ok(S, F, q)
loops.setdefault((S, F), []).append((fn, int(q[0].line),
                                     int(bp[0].line_end)))

// The walk's segment and index, anywhere in the walk's function.
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
fn << walk.fn;
q << seg.q;
@@

if q[0].current_element == fn:
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

if in_loop(S, F, q):
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
S << imp.S;
F << imp.F;
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

// The segment becomes a piece; nothing changes unless it is declared so.
@decl depends on patch && !context && !org && !report@
identifier safe.fld, walk.fn, walk.sg;
@@

 fn(...)
 {
 <+...
- struct scatterlist *sg;
+ struct dma_sg_piece sg;
 ...+>
 }

@depends on decl@
identifier safe.fld, imp.S;
@@

 struct S {
 ...
- struct sg_table *fld;
+ const struct dma_sg_table *fld;
 ...
 };

@depends on decl@
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

@depends on decl@
identifier safe.fld, imp.S, walk.sg, walk.i;
struct S *E;
iterator name for_each_sgtable_dma_sg, dma_sg_for_each_piece;
statement B;
@@

- for_each_sgtable_dma_sg(E->fld, sg, i)
+ dma_sg_for_each_piece(E->fld, sg, SZ_2G)
 B

@depends on decl@
identifier walk.fn, walk.sg;
position q : script:python(fn) { q[0].current_element == fn };
@@

(
- sg_dma_address(sg@q)
+ sg.addr
|
- sg_dma_len(sg@q)
+ sg.len
)

// The index is used nowhere else; the declaration may list others.
@depends on decl@
identifier walk.fn, walk.i;
type T;
@@

 fn(...)
 {
 <+...
- T i;
 ...+>
 }

@depends on decl@
@@

 #include <linux/dma-buf.h>
+#include <linux/dma_sg.h>
