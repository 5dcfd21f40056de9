// SPDX-License-Identifier: GPL-2.0
///
/// Move a TTM driver's dma-buf import off scatterlist, where the driver
/// maps the attachment itself when it binds the buffer and reads only
/// the DMA addresses of its pages.  The shape converted is amdgpu's
/// amdgpu_ttm_backend_bind() and amdgpu_ttm_backend_unbind():
///
///  - at bind, if &ttm_tt.sg is not set yet, dma_buf_map_attachment()
///    into a table local to that block, used for nothing but its error
///    check and its store in &ttm_tt.sg, then
///    drm_prime_sg_to_dma_addr_array() of &ttm_tt.sg;
///  - at unbind, in the same file, dma_buf_unmap_attachment() of
///    &ttm_tt.sg and &ttm_tt.sg cleared: a table of &ttm_tt.sg given
///    back to dma-buf is the import.
///
/// The import becomes dma_buf_map_attachment_dma_sg(), kept in
/// &ttm_tt.dma_sg, and its addresses come from
/// drm_prime_dma_sg_to_dma_addr_array().  A table that the driver put in
/// &ttm_tt.sg itself before binding (amdgpu's KFD and GART buffers) is
/// still read as before.
///
// Confidence: High
// Options: --no-includes --include-headers
// Keywords: dma_buf_map_attachment drm_prime_sg_to_dma_addr_array ttm_tt
// Comment: report mode lists the drm_prime_sg_to_dma_addr_array() calls
//  that are left, with the reason: a table built from pages in that
//  function, one set up before binding, an import of another shape, or
//  else one that the DRM core's PRIME import handed over.

virtual context
virtual patch
virtual org
virtual report

//----------------------------------------------------------
//  The shape: an import mapped at bind, kept in the ttm_tt
//----------------------------------------------------------

@initialize:python@
@@

report_mode = False
convertible = set()
built = set()
converted = set()
mapped = set()
reasons = {
    'built': 'the driver builds this table from pages here',
    'converted': 'a table the driver set up itself before binding, not an import',
    'mapped': 'the import is mapped here, but not in the shape converted',
    'core': "the DRM core's PRIME import handed it over as an sg_table",
}

// The table is a local of the if block that maps it, used for nothing
// but the error check and the store, so its type can change.
@bind@
identifier fn, sgt;
struct ttm_tt *T;
expression A, D;
position p;
@@

 fn(...)
 {
 <+...
 if (!T->sg) {
 ... when != sgt
 struct sg_table *sgt;
 ... when != sgt
 sgt = dma_buf_map_attachment@p(A, D);
 if (IS_ERR(sgt))
	return PTR_ERR(sgt);
 T->sg = sgt;
 ... when != sgt
 }
 ...+>
 }

@script:python depends on bind@
fn << bind.fn;
p << bind.p;
@@

convertible.add((p[0].file, fn))

//----------------------------------------------------------
//  For patch mode
//----------------------------------------------------------

@imp depends on patch && !context && !org && !report@
identifier bind.fn, bind.sgt;
struct ttm_tt *bind.T;
expression bind.A, bind.D;
position bind.p;
@@

 fn(...)
 {
 <...
 if (!T->sg
+ && !T->dma_sg
 ) {
 ...
- struct sg_table *sgt;
+ const struct dma_sg_table *sgt;
 ...
- sgt = dma_buf_map_attachment@p(A, D);
+ sgt = dma_buf_map_attachment_dma_sg(A, D);
 ...
- T->sg = sgt;
+ T->dma_sg = sgt;
 ...
 }
 ...>
 }

@depends on imp@
identifier bind.fn;
struct ttm_tt *bind.T;
expression list es;
@@

 fn(...)
 {
 <...
- drm_prime_sg_to_dma_addr_array(T->sg, es);
+ if (T->dma_sg)
+ 	drm_prime_dma_sg_to_dma_addr_array(T->dma_sg, es);
+ else
+ 	drm_prime_sg_to_dma_addr_array(T->sg, es);
 ...>
 }

// The unbind, in a file whose bind was converted.
@depends on imp@
struct ttm_tt *U;
expression UA, UD, C;
@@

(
 if (
- U->sg
+ U->dma_sg
 && C) {
 ...
- dma_buf_unmap_attachment
+ dma_buf_unmap_attachment_dma_sg
 (UA, U->
- sg
+ dma_sg
 , UD);
 U->
- sg
+ dma_sg
 = NULL;
 }
|
 if (
- U->sg
+ U->dma_sg
 ) {
 ...
- dma_buf_unmap_attachment
+ dma_buf_unmap_attachment_dma_sg
 (UA, U->
- sg
+ dma_sg
 , UD);
 U->
- sg
+ dma_sg
 = NULL;
 }
)

//----------------------------------------------------------
//  For context, org and report mode: what is left
//----------------------------------------------------------

@depends on context@
expression E;
@@

* drm_prime_sg_to_dma_addr_array(E, ...)

@script:python depends on report@
@@

report_mode = True

@left depends on org || report@
identifier f;
expression E;
position fp, lp;
@@

 f@fp(...)
 {
 <+...
 drm_prime_sg_to_dma_addr_array@lp(E, ...)
 ...+>
 }

@b depends on left@
identifier left.f;
position left.fp;
@@

 f@fp(...)
 {
 <+...
 sg_alloc_table_from_pages(...)
 ...+>
 }

@script:python depends on b@
f << left.f;
fp << left.fp;
@@

built.add((fp[0].file, f))

@c depends on left@
identifier left.f;
position left.fp;
@@

 f@fp(...)
 {
 <+...
 drm_prime_dma_sg_to_dma_addr_array(...)
 ...+>
 }

@script:python depends on c@
f << left.f;
fp << left.fp;
@@

converted.add((fp[0].file, f))

@m depends on left@
identifier left.f;
position left.fp;
@@

 f@fp(...)
 {
 <+...
(
 dma_buf_map_attachment(...)
|
 dma_buf_map_attachment_unlocked(...)
)
 ...+>
 }

@script:python depends on m@
f << left.f;
fp << left.fp;
@@

mapped.add((fp[0].file, f))

@script:python depends on org || report@
f << left.f;
fp << left.fp;
lp << left.lp;
E << left.E;
@@

key = (fp[0].file, f)
if key not in convertible:
    why = ('built' if key in built else 'converted' if key in converted
           else 'mapped' if key in mapped else 'core')
    msg = "INFO: drm_prime_sg_to_dma_addr_array(%s) in %s left: %s" % (
        E.replace(" ", ""), f, reasons[why])
    if report_mode:
        coccilib.report.print_report(lp[0], msg)
    else:
        coccilib.org.print_todo(lp[0], msg)
