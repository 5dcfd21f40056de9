// SPDX-License-Identifier: GPL-2.0
///
/// Move a TTM driver's dma-buf import off scatterlist, where the driver
/// maps the attachment itself when it binds the buffer and reads only
/// the DMA addresses of its pages.  The shape converted is amdgpu's
/// amdgpu_ttm_backend_bind() and amdgpu_ttm_backend_unbind():
///
///  - at bind, if &ttm_tt.sg is not set yet, dma_buf_map_attachment()
///    and its result stored in &ttm_tt.sg, then
///    drm_prime_sg_to_dma_addr_array() of &ttm_tt.sg;
///  - at unbind, dma_buf_unmap_attachment() of &ttm_tt.sg and
///    &ttm_tt.sg cleared.
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
//  that are left, with the reason.

virtual context
virtual patch
virtual org
virtual report

//----------------------------------------------------------
//  The shape: an import mapped at bind, kept in the ttm_tt
//----------------------------------------------------------

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
 ...
 sgt = dma_buf_map_attachment@p(A, D);
 ...
 T->sg = sgt;
 }
 ...+>
 }

//----------------------------------------------------------
//  For patch mode
//----------------------------------------------------------

@depends on patch && !context && !org && !report@
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
 <...
- struct sg_table *sgt;
+ const struct dma_sg_table *sgt;
 ...>
- sgt = dma_buf_map_attachment@p(A, D);
+ sgt = dma_buf_map_attachment_dma_sg(A, D);
 ...
- T->sg = sgt;
+ T->dma_sg = sgt;
 }
 ...>
 }

@depends on patch && !context && !org && !report@
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
@depends on bind && patch && !context && !org && !report@
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

@left depends on org || report@
expression E;
position lp;
@@

 drm_prime_sg_to_dma_addr_array@lp(E, ...)

@script:python depends on org@
lp << left.lp;
@@

coccilib.org.print_todo(lp[0], "still reads an sg_table")

@script:python depends on report@
lp << left.lp;
E << left.E;
@@

coccilib.report.print_report(lp[0],
    "WARNING: drm_prime_sg_to_dma_addr_array(%s) left: the table is not mapped from a dma-buf here (a PRIME import by the DRM core, or a table the driver builds)" % E.replace(" ", ""))
