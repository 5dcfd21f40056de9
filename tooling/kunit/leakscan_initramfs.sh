#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build the initramfs that the main x86_64 KUnit boot runs once the
# suites are done: it has kmemleak scan, prints what it found, and powers
# off.  Without it kmemleak would never scan: its thread waits a minute
# before the first scan, and the suites are done long before that.
# Usage: leakscan_initramfs.sh OUTPUT.cpio.gz
set -eu
out=$1
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys"
cp /bin/busybox "$root/bin/busybox"
for app in sh mount cat echo sleep poweroff; do
	ln -s busybox "$root/bin/$app"
done
cat >"$root/init" <<'EOF'
#!/bin/sh
# kmemleak reports an object on the second scan that finds it unreferenced
# and unchanged, and none younger than 5 s.
PATH=/bin
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
if [ -e /sys/kernel/debug/kmemleak ]; then
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	echo "leakscan: kmemleak scanned twice"
	cat /sys/kernel/debug/kmemleak
else
	echo "leakscan: no kmemleak in this kernel"
fi
poweroff -f
EOF
chmod +x "$root/init"
( cd "$root" && find . | cpio -o -H newc --quiet ) | gzip -1 >"$out"
