#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Boot the x86_64 KUnit kernel in QEMU topologies and run the e2e suites.

Each topology is one boot of the x86_64 KUnit kernel, which make builds
first, with real (emulated) devices: QEMU's edu device as a DMA initiator, NVMe
controllers with a Controller Memory Buffer as peer-to-peer targets, and
an Intel IOMMU for some.  The suites in samples/dma_sg/ print one
"dma_sg_e2e:" line per case; dma_sg_e2e.expect= tells them what the
topology must give, and this script checks it again.  A topology passes
only if its suite ran and passed: a skip is a failure here, since the
devices are there.

The "rdma" topology boots the same kernel with an initramfs instead
(rdma_initramfs.sh): Soft-RoCE and siw on virtio-net, driven by
rdma-core's ibv_rc_pingpong, so that real user memory is registered
through ib_umem_get() and moved by rxe and siw.

Writes $OUT/e2e/results.tsv and $OUT/e2e/<topology>.log; prints a table.
Usage: e2e.py [TOPOLOGY...]   (default: all)
"""
import os
import re
import concurrent.futures
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'kunit'))
from kunit_check import REPORT_RE, dma_api_errors  # noqa: E402

OUT = os.environ['OUT']   # set by the Makefile, like TREE and REPO
# E2E_KERNEL= boots another bzImage as it is.
KERNEL = os.environ.get('E2E_KERNEL') or \
    os.path.join(OUT, 'kunit-x86_64', 'arch', 'x86', 'boot', 'bzImage')
RESULTS = os.path.join(OUT, 'e2e')
TIMEOUT = 900

EDU = ['-device', 'edu,dma_mask=0xffffffffffffffff']
IOMMU = ['-device', 'intel-iommu,intremap=on']


def edu(bus):
    return ['-device', 'edu,bus=%s,dma_mask=0xffffffffffffffff' % bus]


def nvme(bus, serial):
    return ['-device', 'nvme,bus=%s,serial=%s,cmb_size_mb=64' % (bus, serial)]


def root_port(name, chassis):
    return ['-device', 'pcie-root-port,id=%s,bus=pcie.0,chassis=%d,slot=%d'
            % (name, chassis, chassis)]


SWITCH = (root_port('rp1', 1) +
          ['-device', 'x3130-upstream,id=up1,bus=rp1',
           '-device', 'xio3130-downstream,id=dn1,bus=up1,chassis=11,slot=0',
           '-device', 'xio3130-downstream,id=dn2,bus=up1,chassis=12,slot=0'] +
          edu('dn1') + nvme('dn2', 'e2e-sw'))
SEPARATE = root_port('rp1', 1) + root_port('rp2', 2) + edu('rp1') + \
    nvme('rp2', 'e2e-rp')
ZEN = ['-cpu', 'qemu64,family=23']
NET = ['-netdev', 'user,id=n0', '-device', 'virtio-net-pci,netdev=n0']
INITRAMFS = os.path.join(RESULTS, 'rdma.cpio.gz')

# name, suite, dma_sg_e2e.expect, IOMMU on, QEMU arguments, what it shows
TOPOLOGIES = [
    ('map-iommu', 'map', 'iommu', True, EDU,
     'system memory through intel-iommu: one IOVA range'),
    # dma-debug off: no per-range records, so pages take the batched link.
    ('map-iommu-nodebug', 'map', 'iommu', True, EDU,
     'the same without dma-debug: the page loop as production runs it'),
    ('map-direct', 'map', 'direct', False, EDU,
     'system memory through dma-direct'),
    ('p2p-switch', 'p2p', 'bus', False, SWITCH,
     'edu and NVMe CMB behind one switch'),
    ('p2p-hostbridge', 'p2p', 'host', False, ZEN + SEPARATE,
     'separate root ports, AMD family 0x17 host bridge'),
    ('p2p-hostbridge-iommu', 'p2p', 'iommu', True, ZEN + SEPARATE,
     'separate root ports, AMD family 0x17, intel-iommu'),
    # No dma-debug: P2PDMA pages take the page loop and the batched link.
    ('p2p-hostbridge-iommu-nodebug', 'p2p', 'iommu', True, ZEN + SEPARATE,
     'the same without dma-debug: the page loop as production runs it'),
    ('p2p-refused', 'p2p', 'refused', False, SEPARATE,
     'separate root ports, host bridge not whitelisted'),
    # QEMU's IOMMU translates even switch-local DMA and drops it without an
    # error; the row shows that the data check, not the status, catches it.
    ('p2p-switch-iommu', 'p2p', 'lost', True, SWITCH,
     'one switch, intel-iommu: QEMU drops the DMA silently'),
    # The CMB window exported as a dma-buf, imported by edu, then revoked.
    ('dmabuf-switch', 'dmabuf', 'bus', False, SWITCH,
     'dma-buf export of the CMB behind one switch, revoked mid-run'),
    ('dmabuf-hostbridge', 'dmabuf', 'host', False, ZEN + SEPARATE,
     'dma-buf export through the AMD host bridge, revoked mid-run'),
    ('dmabuf-hostbridge-iommu', 'dmabuf', 'iommu', True, ZEN + SEPARATE,
     'dma-buf export through host bridge and intel-iommu, revoked'),
    ('rdma', 'rdma', 'rdma', False, NET,
     'rxe: ibv_rc_pingpong 4 MiB; siw: rping -V'),
]
RDMA_CASES = ['rxe_rc_pingpong', 'siw_rping']
# Cases a topology must print a line for; a skip of any is a failure.
REQUIRED_CASES = {'map-iommu': ['map', 'untrusted', 'layout'],
                  'map-iommu-nodebug': ['map', 'untrusted', 'layout'],
                  'p2p-hostbridge-iommu-nodebug': ['p2pmem']}
# Kernel arguments a topology adds to its suite's.  The map topologies run
# a strict IOMMU, so that a freed IOVA range is handed out again at once:
# the layout case checks that a failed map left nothing where it was.
KARGS = {'map-iommu': ['iommu.strict=1'],
         'map-iommu-nodebug': ['iommu.strict=1', 'dma_debug=off'],
         'p2p-hostbridge-iommu-nodebug': ['dma_debug=off']}

RESULT_RE = re.compile(r'dma_sg_e2e: (case=\S+(?: \S+=\S+)*)')
COLUMNS = ['topology', 'expect', 'case', 'map', 'nents', 'bytes',
           'mismatches', 'MB/s', 'result']
WANT = {'iommu': 'IOMMU', 'direct': 'DIRECT', 'bus': 'BUS_ADDR',
        'host': 'HOST_BRIDGE', 'refused': 'REFUSED', 'lost': 'BUS_ADDR',
        'rdma': 'UMEM'}


def qemu_cmd(suite, expect, iommu, args, kargs=()):
    machine = 'q35,kernel-irqchip=split' if iommu else 'q35'
    if suite == 'rdma':
        return (['qemu-system-x86_64', '-machine', machine, '-accel', 'tcg',
                 '-m', '1024', '-smp', '1', '-nodefaults', '-nographic',
                 '-no-reboot', '-serial', 'stdio', '-kernel', KERNEL,
                 '-initrd', INITRAMFS, '-append',
                 'console=ttyS0 kunit.enable=0 panic=-1 rdinit=/init'] +
                args)
    append = ['console=ttyS0', 'kunit.enable=1', 'kunit_shutdown=reboot',
              'kunit.filter_glob=dma_sg_e2e_%s' % suite,
              'dma_sg_e2e.expect=%s' % expect,
              # The CMB belongs to the test, not to NVMe submission queues.
              'nvme.use_cmb_sqes=0', 'panic=-1']
    if iommu:
        append.append('intel_iommu=on')
    if iommu and suite == 'map':
        # swiotlb for the untrusted case to bounce through: x86 sets one
        # up only past 4 GiB of RAM otherwise.  It forces no bouncing.
        append.append('iommu=soft')
    append += kargs
    return (['qemu-system-x86_64', '-machine', machine, '-accel', 'tcg',
             '-m', '1024', '-smp', '1', '-nodefaults', '-nographic',
             '-no-reboot', '-serial', 'stdio', '-kernel', KERNEL,
             '-append', ' '.join(append)] +
            (IOMMU if iommu else []) + args)


def parse(log, suite):
    """Return (ktap status, [fields dict]) for the suite in a boot log."""
    status = 'MISSING'
    if suite == 'rdma' and re.search(r'^dma_sg_e2e: done$', log, re.M):
        status = 'PASS'
    # Console lines may carry a printk timestamp.
    m = re.search(r'^(?:\[[^]]*\])?\s*(not ok|ok) \d+ dma_sg_e2e_%s'
                  r'(?: # SKIP ?(.*))?$' % suite, log, re.M)
    if m:
        status = 'FAIL' if m.group(1) == 'not ok' else \
                 ('SKIP' if m.group(2) is not None else 'PASS')
    rows = []
    for line in RESULT_RE.findall(log):
        rows.append(dict(kv.split('=', 1) for kv in line.split()))
    return status, rows


def expected_map(name, expect):
    if name.startswith(('p2p', 'dmabuf')) and expect == 'iommu':
        return 'HOST_BRIDGE+IOMMU'
    return WANT[expect]


def check_row(name, expect, row):
    """What the script itself requires of a result line; '' if met."""
    if expect == 'rdma':
        if row.get('result') != 'PASS':
            return 'the guest reported %s' % row.get('reason', 'a failure')
        if row.get('mismatches') != '0' or int(row.get('bytes', '0')) == 0:
            return 'no bytes validated'
        return ''
    want = expected_map(name, expect)
    problems = []
    if row.get('map') != want:
        problems.append('map %s, expected %s' % (row.get('map'), want))
    if expect == 'lost':
        # Nothing may land in the CMB; the read-back cannot be right.
        if int(row.get('mismatches', '0')) <= int(row.get('bytes', '0')) // 2:
            problems.append('only %s mismatches: the loss went unseen' %
                            row.get('mismatches'))
    elif row.get('mismatches') != '0':
        problems.append('%s mismatches' % row.get('mismatches'))
    if expect == 'refused':
        if row.get('bytes') != '0':
            problems.append('refused but %s bytes moved' % row.get('bytes'))
    elif int(row.get('bytes', '0')) == 0:
        problems.append('no bytes verified')
    if row.get('case') == 'dmabuf_revoke' and row.get('after_revoke') != '0':
        problems.append('%s bytes reached the BAR after the revoke' %
                        row.get('after_revoke'))
    if row.get('case') == 'map' and expect == 'iommu' and \
       not row.get('nents', '').startswith('1/1'):
        problems.append('nents %s, expected one IOVA range each' %
                        row.get('nents'))
    if row.get('case') == 'layout':
        if row.get('collapsed') != '1':
            problems.append('not one IOVA range')
        # Without dma-debug no map keeps records, so pages are batched.
        if name.endswith('-nodebug') != (row.get('recs') == '0'):
            problems.append('recs=%s: expected 0 without dma-debug and '
                            'more with it' % row.get('recs'))
        if row.get('failed_maps', '0') == '0':
            problems.append('no map failed under fault injection')
    if row.get('case') == 'untrusted':
        if row.get('bounced') != '2/2' or row.get('collapsed') != '0':
            problems.append('bounced %s collapsed %s: the sub-page pieces '
                            'must bounce, each in its own range' %
                            (row.get('bounced'), row.get('collapsed')))
        if row.get('outside') != '0':
            problems.append('%s bytes changed outside the pieces' %
                            row.get('outside'))
    return '; '.join(problems)


def kernel_reports(text):
    """The bug finders' reports and DMA-API errors in a boot's log."""
    found = [text[m.start():text.find('\n', m.start())].strip()
             for m in REPORT_RE.finditer(text)]
    found += [line for _, line in dma_api_errors(text)]
    return found


def run(topo):
    name, suite, expect, iommu, args, _ = topo
    log_path = os.path.join(RESULTS, name + '.log')
    if suite == 'rdma':
        subprocess.run([os.path.join(os.path.dirname(os.path.abspath(
            __file__)), 'rdma_initramfs.sh'), INITRAMFS], check=True)
    cmd = qemu_cmd(suite, expect, iommu, args, KARGS.get(name, ()))
    t0 = time.monotonic()
    with open(log_path, 'w') as log:
        log.write('# ' + ' '.join(cmd) + '\n')
        log.flush()
        try:
            rc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL,
                                timeout=TIMEOUT).returncode
        except subprocess.TimeoutExpired:
            rc = 'timeout'
    secs = time.monotonic() - t0
    with open(log_path, errors='replace') as f:
        text = f.read().replace('\r', '')
    status, rows = parse(text, suite)
    out = []
    seen = {r.get('case') for r in rows}
    if suite == 'rdma':
        rows += [{'case': c, 'result': 'FAIL', 'reason': 'no-result'}
                 for c in RDMA_CASES if c not in seen]
    missing = [c for c in REQUIRED_CASES.get(name, []) if c not in seen]
    if not rows:
        rows = [{'case': suite}]
    for row in rows:
        problem = ''
        if status != 'PASS':
            problem = 'suite %s' % status
            skip = re.search(r'# SKIP (.*)', text)
            if status == 'SKIP' and skip:
                problem += ': ' + skip.group(1)
        elif rc not in (0,):
            problem = 'qemu exit %s' % rc
        elif kernel_reports(text):
            problem = 'kernel report: %s' % kernel_reports(text)[0]
        elif missing:
            problem = 'no line from case %s' % ', '.join(missing)
        elif suite == 'rdma' and 'leakscan: kmemleak scanned twice' not in text:
            problem = 'kmemleak did not scan'
        else:
            problem = check_row(name, expect, row)
        ns = int(row.get('ns', '0'))
        nbytes = int(row.get('bytes', '0'))
        row.update(topology=name, expect=expected_map(name, expect) +
                   (',lost' if expect == 'lost' else ''),
                   result='PASS' if not problem else 'FAIL',
                   problem=problem, secs='%.0f' % secs)
        if ns:
            row['MB/s'] = '%.3f' % (nbytes * 1e3 / ns)
        row.setdefault('MB/s', '-')
        row.setdefault('nents', '-')
        out.append(row)
    return out


def main():
    names = sys.argv[1:]
    topos = [t for t in TOPOLOGIES if not names or t[0] in names]
    if not topos:
        sys.exit('e2e: unknown topology; known: ' +
                 ' '.join(t[0] for t in TOPOLOGIES))
    os.makedirs(RESULTS, exist_ok=True)
    rows = []
    # One QEMU per CPU: each guest has one vCPU, and TCG runs it on one
    # host thread.  Rows keep the order of TOPOLOGIES.
    jobs = int(os.environ.get('E2E_JOBS', os.cpu_count() or 1))
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = []
        for topo in topos:
            print('e2e: %-22s %s' % (topo[0], topo[5]), flush=True)
            futures.append(pool.submit(run, topo))
        for topo, future in zip(topos, futures):
            for row in future.result():
                rows.append(row)
                if row['problem']:
                    print('e2e: %s FAIL: %s (log: %s)' %
                          (topo[0], row['problem'],
                           os.path.join(RESULTS, topo[0] + '.log')))
    with open(os.path.join(RESULTS, 'results.tsv'), 'w') as f:
        f.write('\t'.join(COLUMNS) + '\n')
        for row in rows:
            f.write('\t'.join(str(row.get(c, '-')) for c in COLUMNS) + '\n')
    widths = [max(len(c), *(len(str(r.get(c, '-'))) for r in rows))
              for c in COLUMNS]
    line = '  '.join('%-*s' % (w, c) for w, c in zip(widths, COLUMNS))
    print(line)
    print('-' * len(line))
    for row in rows:
        print('  '.join('%-*s' % (w, row.get(c, '-'))
                        for w, c in zip(widths, COLUMNS)))
    failed = sum(r['result'] != 'PASS' for r in rows)
    print('e2e: %d passed, %d failed' % (len(rows) - failed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
