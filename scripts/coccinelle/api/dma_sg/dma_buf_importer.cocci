// SPDX-License-Identifier: GPL-2.0
///
/// List the dma-buf importers that map an attachment as an sg_table, with
/// dma_buf_map_attachment() or dma_buf_map_attachment_unlocked(), and say
/// what is done with the table:
///
///  - only its DMA side is read (sg_dma_address(), sg_dma_len(),
///    for_each_sgtable_dma_sg(), drm_prime_sg_to_dma_addr_array()...):
///    the importer can map it with dma_buf_map_attachment_dma_sg(), which
///    gives a struct dma_sg_table with no page in it;
///  - its CPU side is read (sg_page(), sg_virt(), sg_phys(), ->length,
///    ->offset, ->orig_nents, for_each_sgtable_sg(), the page iterators,
///    drm_prime_sg_to_page_array(), sg_copy_*()...): it stays an sg_table;
///  - it is handed to another function that takes an sg_table or its
///    scatterlist (a subsystem such as dmaengine or a usb_request, a
///    driver callback, the caller): it stays an sg_table.
///
/// What is done with the table is looked for in the importer, in the
/// functions of the file that touch a struct field the table is stored
/// in, and in the functions of the file it is handed to.  A CPU read
/// wins over a hand-off, and a hand-off over DMA reads.
///
/// Nothing is rewritten: whether an importer can take a dma_sg_table
/// depends on code this script does not see.
///
// Confidence: Moderate
// Options: --no-includes --include-headers
// Keywords: dma_buf_map_attachment dma_buf_map_attachment_unlocked dma_sg
// Comment: precision is per function: any CPU read in a function that
//          holds the table counts, whatever scatterlist it reads, and so
//          does any sg_table-typed local or parameter handed on.  A field
//          is followed by name within the file only: a table stored in a
//          field that no other function of the file reads is taken as
//          handed on, and reads of that field in other files are not seen.

virtual context
virtual patch
virtual org
virtual report

@initialize:python@
@@
import re

DMA_FNS = set("""sg_dma_address sg_dma_len sg_page_iter_dma_address
__sg_page_iter_dma_next drm_prime_sg_to_dma_addr_array
drm_prime_get_contiguous_size sg_dma_is_bus_address
sg_dma_is_swiotlb""".split())
CPU_FNS = set("""sg_page sg_virt sg_phys sg_page_iter_page
__sg_page_iter_start __sg_page_iter_next drm_prime_sg_to_page_array
sg_copy_from_buffer sg_copy_to_buffer sg_pcopy_from_buffer
sg_pcopy_to_buffer sg_copy_buffer sg_zero_buffer sg_miter_start sg_nents
sg_nents_for_len""".split())
# Calls that take the table and read neither side of it.
NEUTRAL_FNS = set("""IS_ERR IS_ERR_OR_NULL PTR_ERR PTR_ERR_OR_ZERO ERR_CAST
dma_buf_unmap_attachment dma_buf_unmap_attachment_unlocked WARN_ON
WARN_ON_ONCE sg_next""".split())

imports = []       # one dict per call of dma_buf_map_attachment*()
fields = set()     # field names that hold an imported table, any file
tracked = {}       # file -> names of fields that hold an imported table
touch = {}         # (file, field) -> functions that touch the field
stores = []        # (file, function, stored table, holder, field, kind)
ev = {}            # (file, function) -> {"cpu"|"dma": {reason}}
calls = []         # (file, function, callee, argument, kind)
tbl_fns = set()    # (file, function) taking a struct sg_table *
reported = set()

def nospace(s):
    return re.sub(r"\s+", "", s)

def field_of(e):
    m = re.search(r"(?:->|\.)(\w+)$", nospace(e))
    return m.group(1) if m else None

def add_ev(p, kind, reason):
    key = (p[0].file, p[0].current_element)
    ev.setdefault(key, {"cpu": set(), "dma": set()})
    ev[key][kind].add(reason)

def add_import(p, x):
    x = nospace(x)
    imports.append({"p": p, "file": p[0].file, "fn": p[0].current_element,
                    "x": x})
    f = field_of(x)
    if f:
        fields.add(f)
        tracked.setdefault(p[0].file, set()).add(f)

def add_store(sp, s, e, h, kind):
    s = nospace(s)
    if kind != "t" and field_of(s):
        kind = "f"
    fl, fn = sp[0].file, sp[0].current_element
    stores.append((fl, fn, s, nospace(e), h, kind))
    for i in imports:
        if i["file"] == fl and i["fn"] == fn and i["x"] == s:
            fields.add(h)
            tracked.setdefault(fl, set()).add(h)

def add_call(q, callee, arg, kind, label=False):
    if not label:
        callee = nospace(callee)
        name = re.sub(r"^.*(?:->|\.)", "", callee)
        if name in NEUTRAL_FNS or name in DMA_FNS or name in CPU_FNS:
            return
    calls.append((q[0].file, q[0].current_element, callee, nospace(arg), kind))

def is_table(fl, fn, arg, kind, imp):
    # kind: "t" an sg_table-typed local or parameter, "x" the imported
    # expression, "f" a field access.
    a = re.sub(r"->sgl$", "", arg)
    if kind == "t":
        return True
    if fn == imp["fn"] and a == imp["x"]:
        return True
    f = field_of(a)
    return f is not None and f in tracked.get(fl, set())

def short(rs, limit=4):
    rs = sorted(rs)
    if len(rs) > limit:
        rs = rs[:limit] + ["%d more" % (len(rs) - limit)]
    return ", ".join(rs)

def classify(imp):
    fl, fn, x = imp["file"], imp["fn"], imp["x"]
    flds = set()
    f = field_of(x)
    if f:
        flds.add(f)
    for (sf, sfn, s, e, h, kind) in stores:
        if sf == fl and sfn == fn and s == x:
            flds.add(h)
    funcs = set([fn])
    for h in flds:
        funcs |= touch.get((fl, h), set())
    # Follow the table into the functions of this file it is handed to.
    hands = set()
    work = list(funcs)
    while work:
        g = work.pop()
        for (cf, cg, callee, arg, kind) in calls:
            if cf != fl or cg != g or not is_table(fl, g, arg, kind, imp):
                continue
            if (fl, callee) in tbl_fns:
                if callee not in funcs:
                    funcs.add(callee)
                    work.append(callee)
            else:
                hands.add((callee, g))
    cpu, dma, hand = set(), set(), set()
    def where(r, g):
        return r if g == fn else "%s in %s" % (r, g)
    for g in funcs:
        e = ev.get((fl, g))
        if e:
            cpu |= set(where(r, g) for r in e["cpu"])
            dma |= set(where(r, g) for r in e["dma"])
    for (callee, g) in hands:
        hand.add(where(callee, g))
    for (sf, sfn, s, e, h, kind) in stores:
        if sf != fl or sfn not in funcs or h in flds:
            continue
        if is_table(fl, sfn, s, kind, imp):
            hand.add(where("%s->%s" % (e, h), sfn))
    if not re.match(r"^(\w+|.*(->|\.)\w+)$", x):
        hand.add(x)
    if cpu:
        return ("INFO: %s imports a dma-buf and reads its CPU side (%s): "
                "left as sg_table" % (fn, short(cpu)))
    if not hand and not dma and flds:
        return ("INFO: %s hands the imported sg_table to ->%s, a field not "
                "read in this file: left as sg_table" % (fn, short(flds)))
    if hand:
        return ("INFO: %s hands the imported sg_table to %s, which %s an "
                "sg_table: left as sg_table"
                % (fn, short(hand), "takes" if len(hand) == 1 else "take"))
    return ("INFO: %s imports a dma-buf and reads only its DMA side (%s): "
            "can map it with dma_buf_map_attachment_dma_sg()"
            % (fn, short(dma) if dma else "none: only the error is checked"))

//----------------------------------------------------------
//  For context mode
//----------------------------------------------------------

@depends on context && !patch && !org && !report@
expression A, D;
@@

(
* dma_buf_map_attachment(A, D)
|
* dma_buf_map_attachment_unlocked(A, D)
)

//----------------------------------------------------------
//  For org and report mode: the imports
//----------------------------------------------------------

@imp depends on (org || report) && !context && !patch@
expression X, A, D;
position p;
@@

(
 X = dma_buf_map_attachment@p(A, D)
|
 X = dma_buf_map_attachment_unlocked@p(A, D)
)

@script:python@
p << imp.p;
x << imp.X;
@@

add_import(p, x)

@imp_decl depends on (org || report) && !context && !patch@
identifier x;
type T;
expression A, D;
position p;
@@

(
 T x = dma_buf_map_attachment@p(A, D);
|
 T x = dma_buf_map_attachment_unlocked@p(A, D);
)

@script:python@
p << imp_decl.p;
x << imp_decl.x;
@@

add_import(p, x)

//----------------------------------------------------------
//  Where the table is kept: struct fields
//----------------------------------------------------------

@store depends on imp || imp_decl@
expression E, S;
struct sg_table *T;
identifier h;
position sp;
@@

(
 E->h@sp = T
|
 E.h@sp = T
|
 E->h@sp = S
|
 E.h@sp = S
)

@script:python@
sp << store.sp;
e << store.E;
s << store.S = "";
t << store.T = "";
h << store.h;
@@

add_store(sp, s or t, e, h, "t" if t else "x")

// A field that holds an imported table, touched anywhere in the file.
@touched depends on imp || imp_decl@
identifier tf : script:python () { tf in fields };
expression Y;
position q;
@@

 Y->tf@q

@touched_name@
identifier fname;
expression Y;
position touched.q;
@@

 Y->fname@q

@script:python@
q << touched.q;
fname << touched_name.fname;
@@

touch.setdefault((q[0].file, fname), set()).add(q[0].current_element)

//----------------------------------------------------------
//  What is read, per function
//----------------------------------------------------------

@dma_call depends on imp || imp_decl@
identifier c =~ "^(sg_dma_address|sg_dma_len|sg_page_iter_dma_address|__sg_page_iter_dma_next|drm_prime_sg_to_dma_addr_array|drm_prime_get_contiguous_size|sg_dma_is_bus_address|sg_dma_is_swiotlb)$";
position q;
@@

 c@q(...)

@script:python@
q << dma_call.q;
c << dma_call.c;
@@

add_ev(q, "dma", c)

@dma_iter depends on imp || imp_decl@
iterator I =~ "^(for_each_sgtable_dma_sg|for_each_sgtable_dma_page|for_each_sg_dma_page)$";
expression list es;
statement B;
position q;
@@

 I@q(es) B

@script:python@
q << dma_iter.q;
i << dma_iter.I;
@@

add_ev(q, "dma", i)

@cpu_call depends on imp || imp_decl@
identifier c =~ "^(sg_page|sg_virt|sg_phys|sg_page_iter_page|__sg_page_iter_start|__sg_page_iter_next|drm_prime_sg_to_page_array|sg_copy_from_buffer|sg_copy_to_buffer|sg_pcopy_from_buffer|sg_pcopy_to_buffer|sg_copy_buffer|sg_zero_buffer|sg_miter_start|sg_nents|sg_nents_for_len)$";
position q;
@@

 c@q(...)

@script:python@
q << cpu_call.q;
c << cpu_call.c;
@@

add_ev(q, "cpu", c)

@cpu_iter depends on imp || imp_decl@
iterator I =~ "^(for_each_sgtable_sg|for_each_sgtable_page|for_each_sg_page)$";
expression list es;
statement B;
position q;
@@

 I@q(es) B

@script:python@
q << cpu_iter.q;
i << cpu_iter.I;
@@

add_ev(q, "cpu", i)

@cpu_field depends on imp || imp_decl@
struct scatterlist *S;
expression E;
identifier fl = {length, offset};
position q;
@@

(
 S->fl@q
|
 E->sgl->fl@q
)

@script:python@
q << cpu_field.q;
fl << cpu_field.fl;
@@

add_ev(q, "cpu", "->" + fl)

@cpu_nents depends on imp || imp_decl@
expression E;
position q;
@@

 E->orig_nents@q

@script:python@
q << cpu_nents.q;
@@

add_ev(q, "cpu", "->orig_nents")

//----------------------------------------------------------
//  Where the table goes, per function
//----------------------------------------------------------

@hand_t depends on imp || imp_decl@
expression F;
struct sg_table *T;
position q;
@@

(
 F@q(..., T, ...)
|
 F@q(..., T->sgl, ...)
)

@script:python@
q << hand_t.q;
f << hand_t.F;
t << hand_t.T;
@@

add_call(q, f, t, "t")

@hand_x depends on imp@
expression imp.X;
expression F;
position q;
@@

(
 F@q(..., X, ...)
|
 F@q(..., X->sgl, ...)
)

@script:python@
q << hand_x.q;
f << hand_x.F;
x << imp.X;
@@

add_call(q, f, x, "x")

@hand_f depends on imp || imp_decl@
identifier tf : script:python () { tf in fields };
expression F, Y, Z;
position q;
@@

(
 F@q(..., Y->tf@Z, ...)
|
 F@q(..., Y->tf@Z->sgl, ...)
)

@script:python@
q << hand_f.q;
f << hand_f.F;
z << hand_f.Z;
@@

add_call(q, f, z, "f")

@hand_ret depends on imp || imp_decl@
struct sg_table *T;
identifier tf : script:python () { tf in fields };
expression Y, Z;
position q;
@@

(
 return@q T;
|
 return@q Y->tf@Z;
)

@script:python@
q << hand_ret.q;
t << hand_ret.T = "";
z << hand_ret.Z = "";
@@

add_call(q, "its caller (return)", t or z,
         "t" if t else "f", True)

// The scatterlist stored in a field, as in usb_request.sg.
@hand_sgl depends on imp || imp_decl@
struct sg_table *T;
identifier tf : script:python () { tf in fields };
expression E, Y, Z;
identifier h;
position q;
@@

(
 E->h@q = T->sgl
|
 E->h@q = Y->tf@Z->sgl
|
 *E@q = T
)

@script:python@
q << hand_sgl.q;
h << hand_sgl.h = "";
e << hand_sgl.E;
t << hand_sgl.T = "";
z << hand_sgl.Z = "";
@@

add_call(q, nospace("%s->%s" % (e, h) if h else "*" + e), t or z,
         "t" if t else "f", True)

@tbl_fn depends on imp || imp_decl@
identifier g, P;
position q;
@@

 g@q(..., struct sg_table *P, ...) { ... }

@script:python@
q << tbl_fn.q;
g << tbl_fn.g;
@@

tbl_fns.add((q[0].file, g))

//----------------------------------------------------------
//  The verdicts
//----------------------------------------------------------

@script:python depends on report@
@@

for imp in imports:
    key = (imp["file"], imp["p"][0].line, imp["p"][0].column)
    if key in reported:
        continue
    reported.add(key)
    coccilib.report.print_report(imp["p"][0], classify(imp))

@script:python depends on org@
@@

for imp in imports:
    key = (imp["file"], imp["p"][0].line, imp["p"][0].column)
    if key in reported:
        continue
    reported.add(key)
    coccilib.org.print_todo(imp["p"][0], classify(imp))
