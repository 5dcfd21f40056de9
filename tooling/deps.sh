#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages this project needs and the machine lacks.
# Every make target runs this first, so a fresh machine needs no set-up.
set -e
PKGS="build-essential bc bison flex libelf-dev libssl-dev cpio rsync kmod
python3 python3-ply python3-git ccache linux-source-6.12 qemu-system-x86 sparse
clang llvm lld libclang-rt-14-dev valgrind perl gnuplot-nox coccinelle
busybox-static iproute2 ibverbs-utils ibverbs-providers rdmacm-utils perftest"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null ||
	{ apt-get update -q >/dev/null && \
	  apt-get install -y -q --no-install-recommends $missing >/dev/null; }
