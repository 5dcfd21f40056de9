#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the hand-made seed inputs of corpus/, one per operation mix.

The byte format is ops.c's: an op byte (bits 0-2 op, 3-4 table, 5 inject
an allocation failure, followed by its nth) and then the op's fields, each
a selector byte and its bytes.  The fuzzer's own finds are added to
corpus/ with `make fuzz`, then pruned by hand to inputs worth keeping.
"""
import os
import struct
import sys

APPEND, SPLIT, TRUNC, FREE, BLOCK, PHYS, REINIT, DEVSPLIT = range(8)


def op(code, table=0, fail=None):
    b = code | table << 3 | (0x20 if fail else 0)
    return bytes([b]) + (bytes([fail - 1]) if fail else b'')


def u16(v):
    return struct.pack('<H', v & 0xffff)


def u64(v):
    return struct.pack('<Q', v & (2**64 - 1))


# address selectors
def a_page(n): return b'\x00' + u16(n)
def a_top(d): return b'\x01' + u16(d)
def a_end(): return b'\x02'
def a_end_off(d): return b'\x03' + bytes([d & 0xff])
def a_raw(v): return b'\x05' + u64(v)
def a_toppow(k): return b'\x06' + bytes([k])


# length selectors
def l_small(n): return b'\x00' + u16(n - 1)
def l_pow(k): return b'\x01' + bytes([k])
def l_2_63(d): return b'\x02' + bytes([d & 0xff])
def l_to_top(d): return b'\x03' + bytes([d & 0xff])
def l_max(d): return b'\x04' + bytes([d])
def l_total(d): return b'\x05' + bytes([d & 0xff])
def l_raw(v): return b'\x06' + u64(v)


def seg_pow(k): return b'\x01' + bytes([k])
def seg_raw(v): return b'\x05' + u64(v)
def mask_pow(k): return b'\x00' + bytes([k])
def mask_raw(v): return b'\x06' + u64(v)


SEEDS = {
    'append-merge': op(APPEND) + a_page(1) + l_small(4096) +
        op(APPEND) + a_end() + l_small(4096) + op(APPEND, 1) + a_page(1) +
        l_small(4096) + op(APPEND, 1) + a_end() + l_small(4096),
    'append-chain': b''.join(op(APPEND, t) + a_end_off(16) + l_small(100)
                             for t in (0, 1, 2, 3) for _ in range(5)),
    'append-top': op(APPEND) + a_top(0xfff) + l_small(4096) +
        op(APPEND) + a_page(0) + l_small(4096) +
        op(APPEND, 1) + a_toppow(63) + l_to_top(0),
    'append-2-63': op(APPEND) + a_page(0) + l_2_63(0) + op(APPEND) +
        a_end() + l_2_63(-1) + op(APPEND) + a_end() + l_total(1),
    'append-errors': op(APPEND) + a_page(3) + b'\x07\x00\x00' +
        op(APPEND) + a_top(1) + l_small(3) + op(APPEND) + a_page(0) +
        l_max(0) + op(APPEND) + a_page(0) + l_max(0),
    'split-maxseg': op(SPLIT) + a_page(0) + l_small(40000) + seg_pow(12) +
        mask_pow(64),
    'split-boundary': op(SPLIT, 2) + a_page(15) + l_small(65535) +
        seg_pow(63) + mask_pow(16),
    'split-topup': op(APPEND) + a_page(1) + l_small(100) + op(SPLIT) +
        a_end() + l_small(20000) + seg_pow(13) + mask_pow(12),
    'split-invalid': op(SPLIT) + a_page(1) + l_small(1) + b'\x00' +
        mask_pow(12) + op(SPLIT) + a_page(1) + l_small(1) + seg_pow(3) +
        b'\x05' + op(SPLIT) + a_page(1) + l_small(1) + seg_pow(3) +
        mask_raw(0xff0),
    'split-huge': op(SPLIT, 1) + a_toppow(63) + l_to_top(0) + seg_pow(62) +
        mask_pow(64) + op(SPLIT) + a_raw(2**62) + l_2_63(0) +
        seg_raw(2**61 + 1) + mask_pow(63),
    'split-dev': op(DEVSPLIT) + a_raw(2**32 - 2**20) + l_pow(21) + b'\x03' +
        op(DEVSPLIT, 1) + a_page(7) + l_pow(20) + b'\x00',
    'truncate': op(APPEND, 1) + a_page(1) + l_small(1) + op(APPEND, 1) +
        a_page(3) + l_small(1) + op(APPEND, 1) + a_page(5) + l_small(1) +
        op(TRUNC, 1) + b'\x03' + op(TRUNC, 1) + b'\x02' + op(TRUNC, 1) +
        b'\x04\x00',
    'free-reuse': op(APPEND, 2) + a_page(1) + l_small(1) + op(APPEND, 2) +
        a_page(3) + l_small(1) + op(APPEND, 2) + a_page(5) + l_small(1) +
        op(FREE, 2) + op(APPEND, 2) + a_page(9) + l_small(9),
    'blocks': op(APPEND, 1) + a_raw(0x1800) + l_small(0x1000) +
        op(APPEND, 1) + a_raw(0x2800) + l_small(0x100) + op(BLOCK, 1) +
        b'\x0c' + op(BLOCK, 1) + b'\x00' + op(BLOCK, 1) + b'\x3f',
    'phys': op(PHYS) + b'\x15\x01' + u16(1) + u16(4096) + u16(7) +
        op(PHYS) + b'\x25\x02' + u16(0) + b'\x00' + b'\x00' +
        op(PHYS) + b'\xbf\xff' + u64(2**64 - 1) + u64(2**50) +
        struct.pack('<I', 4096),
    'reinit': op(REINIT) + b'\x0b' + op(APPEND) + a_page(1) + l_small(1) +
        op(APPEND) + a_page(3) + l_small(1) + op(REINIT) + b'\x82' +
        op(APPEND) + a_page(1) + l_small(1),
    'fail-append': op(APPEND, 0, 1) + a_page(1) + l_small(1) +
        op(APPEND, 2, 1) + a_page(1) + l_small(1) + op(APPEND, 2, 1) +
        a_page(3) + l_small(1) + op(APPEND, 2, 1) + a_page(5) + l_small(1),
    'fail-split': op(APPEND) + a_page(1) + l_small(100) +
        op(SPLIT, 0, 2) + a_end() + l_small(40000) + seg_pow(12) +
        mask_pow(64) + op(SPLIT, 0, 3) + a_end() + l_small(40000) +
        seg_pow(12) + mask_pow(12),
    # An entry ending at the top of dma_addr_t merged with one at 0.
    'regress-wrap-merge': bytes.fromhex('000311030000'),
}

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), 'corpus')
os.makedirs(out, exist_ok=True)
for name, data in SEEDS.items():
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)
