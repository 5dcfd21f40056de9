#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Collect the dma_sg_bench lines of the console logs into TSV files.

Usage: bench_tsv.py BENCH_DIR

Reads BENCH_DIR/um.log and BENCH_DIR/x86_64.log, writes BENCH_DIR/core.tsv,
map.tsv and p2p.tsv (columns name, dma_sg, scatterlist, unit; the name ends
with the kernel that measured it) and prints them as tables with the
scatterlist/dma_sg ratio: above 1 means dma_sg uses less.  Exits non-zero
when a benchmark case failed or crashed, or no figure was printed at all.
"""
import os
import re
import sys

LOGS = [('um.log', 'um'), ('x86_64.log', 'x86_64 TCG')]
FILES = ['core', 'map', 'p2p']
ROW_RE = re.compile(r'dma_sg_bench: (\w+)\t([^\t]+)\t([0-9.]+)\t([0-9.]+)\t(\S+)')
NOTE_RE = re.compile(r'dma_sg_bench note: (.*)$')
RESULT_RE = re.compile(r'^\s*(not ok|ok) \d+ (dma_sg_bench\w*)(.*)$')


def main():
    bench = sys.argv[1]
    rows = {f: [] for f in FILES}
    notes, problems, ran = [], [], False
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
    for n in notes:
        print('note: ' + n)
    for p in problems:
        print('bench: ' + p)
    if not ran or not total or problems:
        sys.exit(1)


if __name__ == '__main__':
    main()
