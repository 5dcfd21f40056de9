#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the Kconfig symbol a kernel .c file is built under, or nothing.

Usage: kconfig_of.py TREE path/to/file.c

Reads the Makefile of the file's directory: the assignment that lists
file.o (continuation lines included), as in obj-$(CONFIG_FOO) += file.o
or xe-$(CONFIG_PCI_IOV) += file.o.  An assignment with no symbol (obj-y,
foo-y, foo-objs) prints nothing: the file is built with its directory.
"""
import os
import re
import sys

tree, path = sys.argv[1], sys.argv[2]
obj = os.path.basename(path)[:-2] + '.o'
mk = os.path.join(tree, os.path.dirname(path), 'Makefile')
try:
    text = open(mk).read()
except OSError:
    sys.exit(0)
for stmt in text.replace('\\\n', ' ').splitlines():
    m = re.match(r'\s*[\w-]+-\$\(CONFIG_(\w+)\)\s*[+:]?=(.*)', stmt)
    if m and re.search(r'(^|\s)' + re.escape(obj) + r'(\s|$)', m.group(2)):
        print(m.group(1))
        break
