#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build the initramfs of the RDMA end-to-end boot from the host's Debian
# packages (busybox-static, iproute2, ibverbs-utils, ibverbs-providers,
# rdmacm-utils; deps.sh installs them): the tools, their libraries as ldd
# lists them, the rxe and siw providers, and rdma_init.sh as /init.
# Usage: rdma_initramfs.sh OUTPUT.cpio.gz
set -eu
out=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/tmp" \
	"$root/etc/libibverbs.d"
cp /bin/busybox "$root/bin/busybox"
for app in sh mount ip sleep cat grep sed echo poweroff seq wc tr cut \
	   ls dmesg head tail kill timeout awk; do
	ln -s busybox "$root/bin/$app"
done

copy() { # file: copy it and, for ELF files, every library it needs
	[ -e "$root$1" ] && return 0
	mkdir -p "$root$(dirname "$1")"
	cp -L "$1" "$root$1"
	ldd "$1" 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p' |
	while read -r lib; do
		copy "$lib"
	done
}
for f in /usr/bin/ibv_rc_pingpong /usr/bin/ibv_devinfo /usr/bin/rping \
	 /usr/bin/rdma; do
	copy "$f"
done
# glibc dlopen()s it for pthread_exit(), which rping's threads call.
copy "$(ldconfig -p | sed -n 's/.*libgcc_s.so.1 (libc6,x86-64) => //p' | head -n 1)"
provdir=$(dirname "$(ls /usr/lib/*/libibverbs/librxe-rdmav*.so | head -n 1)")
for p in rxe siw; do
	copy "$(ls "$provdir"/lib$p-rdmav*.so | head -n 1)"
	cp /etc/libibverbs.d/$p.driver "$root/etc/libibverbs.d/"
done
cp "$here/rdma_init.sh" "$root/init"
chmod +x "$root/init"
( cd "$root" && find . | cpio -o -H newc --quiet ) | gzip -1 >"$out"
