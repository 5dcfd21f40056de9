#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check a KUnit run: every suite and case of the given test files ran.

kunit.py passes a run in which a suite was never built; this does not.
A case may be skipped, but its reason is printed so that a skip is never
mistaken for a pass.  A report of the kernel's bug finders anywhere in
the log (KASAN, KMSAN, lockdep, the might_sleep() checks, UBSAN,
kmemleak, an IOMMU PTE mapped twice) fails the run too, since some of
them do not fail the case that caused them; so does a WARN(), unless its
case provokes it on purpose (WARN_CASES).
So does an error of DMA-API debugging, unless it comes from a case that
provokes it on purpose (DMA_API_CASES), and dma-debug switching itself
off, which would leave every later case unchecked.  dma-debug prints
only its first error; the case that provokes one raises that budget.
Usage: kunit_check.py RESULT.json RAW.log FILE.c...
"""
import json
import re
import sys

CASE_RE = re.compile(r'KUNIT_CASE(?:_SLOW|_PARAM|_PARAM_ATTR|_ATTR)?\(\s*(\w+)')
REPORT_RE = re.compile(
    r'BUG: KASAN|BUG: KMSAN|BUG: sleeping function called from invalid context'
    r'|WARNING: possible (?:circular|recursive) locking'
    r'|WARNING: inconsistent lock state|WARNING: suspicious RCU usage'
    r'|BUG: scheduling while atomic|WARNING: lock held when returning'
    r'|INFO: possible irq lock inversion|UBSAN:'
    r'|unreferenced object 0x|new suspected memory leaks'
    r'|DMAR: ERROR: DMA PTE for vPFN')
# A WARN() is a bug too, unless the case provokes it on purpose: a live
# map mapped again, a mask overflow dma-direct reports, an unmap that
# dma-debug must catch, a DMA address array too small for its table.  A
# WARN() is charged to the next case that prints a result, so one from a
# worker can land on the wrong case, never on none; and a WARN_ONCE()
# those cases provoke stays silent for the rest of the boot.
WARN_RE = re.compile(r'WARNING: CPU: \d+ PID: \d+ at (\S+)')
WARN_CASES = {'map_live_test', 'map_mask_test', 'map_debug_mismatch_test',
              'addr_array_overflow_test'}
# UML's virt-pci warns at boot when no virtio device id is configured.
BOOT_WARN_OK = {'arch/um/drivers/virt-pci.c'}
# dma-debug's own messages that are not errors.
DMA_API_INFO_RE = re.compile(r'DMA-API: (?:preallocated|debugging enabled|'
                             r'debugging disabled on kernel command line|'
                             r'Mapped at:)')
DMA_API_OFF_RE = re.compile(r'DMA-API: .*(?:dma-debug disabled|'
                            r'debugging out of memory)')
# Cases whose point is a DMA-API error that dma-debug must report.
DMA_API_CASES = {'map_debug_mismatch_test'}
RESULT_LINE_RE = re.compile(r'^\s*(?:not )?ok \d+ (\S+)')
SUITE_RE = re.compile(r'struct kunit_suite\s+\w+\s*=\s*{[^}]*?\.name\s*=\s*"([^"]+)"',
                      re.S)


def walk(group, found, groups):
    for case in group.get('test_cases', []):
        found.setdefault(case['name'], []).append(case['status'])
    for sub in group.get('sub_groups', []):
        statuses = []
        groups.add(sub['name'])
        walk(sub, found, groups)
        for case in sub.get('test_cases', []):
            statuses.append(case['status'])
        # A suite or a parameterised case: it passed if all it holds did.
        bad = [s for s in statuses if s not in ('PASS', 'SKIP')]
        found.setdefault(sub['name'], []).append(
            bad[0] if bad else ('SKIP' if statuses and
                                all(s == 'SKIP' for s in statuses) else 'PASS'))


def by_case(raw, pick):
    """What pick() finds in the lines, each with the case it was printed in:
    the next one to print a result."""
    out, pending = [], []
    for line in raw.splitlines():
        msg = pick(line)
        if msg:
            pending.append(msg)
            continue
        m = RESULT_LINE_RE.match(line)
        if m and pending:
            out += [(m.group(1), p) for p in pending]
            pending = []
    return out + [('(no case)', p) for p in pending]


def warnings(raw):
    """WARN() sites, each with its case, or (boot) before the first test."""
    m = re.search(r'^\s*K?TAP version', raw, re.M)
    boot, tests = (raw[:m.start()], raw[m.start():]) if m else (raw, '')
    out = [('(boot)', w.group(0)) for w in WARN_RE.finditer(boot)
           if w.group(1).split(':')[0] not in BOOT_WARN_OK]

    def pick(line):
        w = WARN_RE.search(line)
        return w.group(0) if w else None
    return out + by_case(tests, pick)


def dma_api_errors(raw):
    """DMA-API messages, each with the case it was printed in."""
    return by_case(raw, lambda line: line.strip() if 'DMA-API: ' in line
                   and not DMA_API_INFO_RE.search(line) else None)


def main():
    with open(sys.argv[1]) as f:
        result = json.load(f)
    with open(sys.argv[2], errors='replace') as f:
        raw = f.read()
    found = {}
    groups = set()
    walk(result, found, groups)
    errors = []
    expected = 0
    for path in sys.argv[3:]:
        with open(path) as f:
            src = f.read()
        for name in SUITE_RE.findall(src) + CASE_RE.findall(src):
            expected += 1
            if name not in found:
                errors.append('%s: %s did not run' % (path, name))
    for name, statuses in sorted(found.items()):
        for s in statuses:
            if s not in ('PASS', 'SKIP'):
                errors.append('%s: %s' % (name, s))
    for m in re.finditer(r'ok \d+ (\S+) # SKIP ?(.*)', raw):
        print('kunit: SKIP %s: %s' % (m.group(1), m.group(2) or 'no reason given'))
        # KUnit prints no reason for a suite whose cases all skipped; the
        # cases themselves must carry one.
        if not m.group(2).strip() and m.group(1) not in groups:
            errors.append('%s skipped with no reason' % m.group(1))
    for m in REPORT_RE.finditer(raw):
        line = raw[m.start():raw.find('\n', m.start())]
        errors.append('bug finder report: ' + line.strip())
    for case, line in warnings(raw):
        if case not in WARN_CASES:
            errors.append('WARN in %s: %s' % (case, line))
    for case, line in dma_api_errors(raw):
        if DMA_API_OFF_RE.search(line):
            errors.append('dma-debug switched off in %s: %s' % (case, line))
        elif case not in DMA_API_CASES:
            errors.append('DMA-API error in %s: %s' % (case, line))
    for e in errors:
        print('kunit: FAIL ' + e)
    print('kunit: %d expected suites and cases, %d results, %d problem(s)' %
          (expected, sum(len(v) for v in found.values()), len(errors)))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
