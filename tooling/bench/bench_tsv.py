#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Collect the dma_sg_bench lines of the console logs into TSV files.

Usage: bench_tsv.py BENCH_DIR [VMLINUX]

Reads BENCH_DIR/um.log and BENCH_DIR/x86_64.log, writes BENCH_DIR/core.tsv,
map.tsv, p2p.tsv, dmabuf.tsv and umem.tsv (columns name, dma_sg, scatterlist, unit; the name ends
with the kernel that measured it) and prints them as tables with the
scatterlist/dma_sg ratio: above 1 means dma_sg uses less.  Exits non-zero
when a benchmark case failed or crashed, or no figure was printed at all.
With the x86_64 VMLINUX, it also notes a timed core function that
straddles a page, which QEMU's TCG makes slower (see dma_sg_bench.c).
"""
import os
import re
import shutil
import subprocess
import sys

LOGS = [('um.log', 'um'), ('x86_64.log', 'x86_64 TCG')]
FILES = ['core', 'map', 'p2p', 'dmabuf', 'umem']
ROW_RE = re.compile(r'dma_sg_bench: (\w+)\t([^\t]+)\t([0-9.]+)\t([0-9.]+)\t(\S+)')
NOTE_RE = re.compile(r'dma_sg_bench note: (.*)$')
RESULT_RE = re.compile(r'^\s*(not ok|ok) \d+ (dma_sg_bench\w*)(.*)$')


# The functions dma_sg_bench.c aligns so that none straddles a page.
TIMED = ['bench_dma_sg_build', 'bench_sg_build', 'bench_core_dma_sg',
         'bench_core_sg']


def straddle_notes(vmlinux):
    """Notes for the timed functions of VMLINUX that cross a page."""
    out = subprocess.run(['nm', '-S', vmlinux], capture_output=True,
                         text=True, check=True).stdout
    notes = []
    for line in out.splitlines():
        f = line.split()
        if len(f) == 4 and f[3] in TIMED:
            start, size = int(f[0], 16), int(f[1], 16)
            if start // 4096 != (start + size - 1) // 4096:
                notes.append('[x86_64 TCG] %s straddles a page: its core '
                             'figures carry TCG lookups' % f[3])
    return notes


def main():
    bench = sys.argv[1]
    rows = {f: [] for f in FILES}
    notes, problems, ran = [], [], False
    if len(sys.argv) > 2 and os.path.exists(sys.argv[2]):
        notes += straddle_notes(sys.argv[2])
    for log, label in LOGS:
        path = os.path.join(bench, log)
        if not os.path.exists(path):
            continue
        ran = True
        cases = {}
        with open(path, errors='replace') as f:
            for line in f:
                line = line.rstrip('\r\n')
                m = ROW_RE.search(line)
                if m:
                    rows.setdefault(m.group(1), []).append(
                        ('%s [%s]' % (m.group(2), label), m.group(3),
                         m.group(4), m.group(5)))
                    continue
                m = NOTE_RE.search(line)
                if m:
                    notes.append('[%s] %s' % (label, m.group(1)))
                    continue
                m = RESULT_RE.match(line)
                if m:
                    cases[m.group(2)] = (m.group(1), m.group(3))
        if not cases:
            problems.append('%s: no dma_sg_bench result (crash or build '
                            'failure, see %s)' % (label, path))
        for name, (status, rest) in sorted(cases.items()):
            if status == 'not ok':
                problems.append('%s: %s failed' % (label, name))
            elif '# SKIP' in rest:
                notes.append('[%s] %s skipped:%s' %
                             (label, name, rest.split('# SKIP', 1)[1]))
    total = 0
    for f in FILES:
        with open(os.path.join(bench, f + '.tsv'), 'w') as out:
            out.write('name\tdma_sg\tscatterlist\tunit\n')
            for r in rows[f]:
                out.write('\t'.join(r) + '\n')
        if not rows[f]:
            continue
        total += len(rows[f])
        w = max(len(r[0]) for r in rows[f])
        print('\n%s (%s)' % (f, os.path.join(bench, f + '.tsv')))
        print('%-*s %14s %14s  %-12s %9s' %
              (w, 'name', 'dma_sg', 'scatterlist', 'unit', 'sg/dma_sg'))
        for name, a, b, unit in rows[f]:
            ratio = '%.2fx' % (float(b) / float(a)) if float(a) else '-'
            print('%-*s %14s %14s  %-12s %9s' % (w, name, a, b, unit, ratio))
    plot(bench, rows)
    for n in notes:
        print('note: ' + n)
    for p in problems:
        print('bench: ' + p)
    if not ran or not total or problems:
        sys.exit(1)


def plot(bench, rows):
    """Draw the map and core ratios (scatterlist/dma_sg) as an SVG."""
    data = [(name, float(b) / float(a)) for f in ('map', 'core')
            for name, a, b, _ in rows.get(f, []) if float(a)]
    if not data or not shutil.which('gnuplot'):
        return
    dat = os.path.join(bench, 'ratios.dat')
    svg = os.path.join(bench, 'ratios.svg')
    with open(dat, 'w') as f:
        for i, (name, ratio) in enumerate(data):
            f.write('%d\t%.4f\t"%s"\n' % (i, ratio, name.replace('"', "'")))
    script = '\n'.join([
        'set terminal svg size 1100,%d dynamic font "sans,10"' %
        (120 + 18 * len(data)),
        'set output "%s"' % svg,
        'set title "dma_sg against scatterlist: scatterlist / dma_sg '
        '(above 1: dma_sg is faster or smaller)"',
        'set style fill solid 0.6',
        'set xrange [0:*]',
        'set yrange [-1:%d]' % len(data),
        'set ytics nomirror font "sans,8"',
        'set arrow from 1,-1 to 1,%d nohead dt 2' % len(data),
        'unset key',
        'plot "%s" using ($2/2):1:(0):2:($1-0.4):($1+0.4):ytic(3) '
        'with boxxyerror' % dat,
        ''])
    r = subprocess.run(['gnuplot'], input=script, text=True,
                       capture_output=True)
    if r.returncode == 0:
        print('\nplot: %s' % svg)
    else:
        print('bench: gnuplot failed: %s' % r.stderr.strip())


if __name__ == '__main__':
    main()
