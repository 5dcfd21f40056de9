// SPDX-License-Identifier: GPL-2.0
///
/// List functions that use a scatterlist only for its DMA side: they read
/// sg_dma_address() and never the CPU side (sg_page(), sg_virt(),
/// sg_phys(), ->length, ->offset), or they build entries with no page.
/// Such tables are candidates for a struct dma_sg_table, which holds a
/// DMA address and a 64-bit length per entry and nothing else.
///
/// Nothing is rewritten: moving a table to dma_sg changes who builds it
/// and who frees it, which needs a person.
///
// Confidence: Moderate
// Options: --no-includes --include-headers
// Keywords: scatterlist sg_dma_address sg_dma_len dma_sg
// Comment: the CPU side is looked for per function, so a table read on
//          its CPU side in another function is still listed.

virtual context
virtual patch
virtual org
virtual report

@initialize:python@
@@
cpu_fns = set()
reported = set()

//----------------------------------------------------------
//  For context mode: entries built with no page
//----------------------------------------------------------

@null_page_context depends on context && !patch && !org && !report@
expression sg, len, off;
@@

* sg_set_page(sg, NULL, len, off)

//----------------------------------------------------------
//  For org and report mode
//----------------------------------------------------------

@cpu depends on (org || report) && !context && !patch@
identifier fn;
struct scatterlist *sg;
position p;
@@

fn(...) { <+...
(
 sg_page(sg)@p
|
 sg_virt(sg)@p
|
 sg_phys(sg)@p
|
 sg->length@p
|
 sg->offset@p
)
...+> }

@script:python depends on cpu@
fn << cpu.fn;
p << cpu.p;
@@

cpu_fns.add((p[0].file, fn))

@dma depends on (org || report) && !context && !patch@
identifier fn;
struct scatterlist *sg;
position p;
@@

fn(...) { <+...
(
 sg_dma_address(sg)@p
|
 sg->dma_address@p
)
...+> }

// A table built with no page has no CPU side, whatever else is read.
@null_page depends on (org || report) && !context && !patch@
identifier fn;
struct scatterlist *sg;
position p;
@@

fn(...) { <+...
 sg_set_page(sg, NULL, ...)@p
...+> }

@script:python depends on null_page@
fn << null_page.fn;
p << null_page.p;
@@

cpu_fns.discard((p[0].file, fn))

@script:python depends on report@
fn << dma.fn;
p << dma.p;
@@

if (p[0].file, fn) not in cpu_fns and (p[0].file, fn) not in reported:
    reported.add((p[0].file, fn))
    coccilib.report.print_report(p[0],
        "INFO: %s uses a scatterlist only on its DMA side: a dma_sg candidate" % fn)

@script:python depends on org@
fn << dma.fn;
p << dma.p;
@@

if (p[0].file, fn) not in cpu_fns and (p[0].file, fn) not in reported:
    reported.add((p[0].file, fn))
    coccilib.org.print_todo(p[0],
        "INFO: %s uses a scatterlist only on its DMA side: a dma_sg candidate" % fn)
