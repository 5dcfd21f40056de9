#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the RDMA end-to-end boot (rdma_initramfs.sh builds it).
# Creates Soft-RoCE (rxe) and siw devices on the virtio-net interface.
# Over rxe it runs rdma-core's ibv_rc_pingpong, server and client in this
# guest, with several-MiB messages and its buffer validation (-c) on.
# siw is iWARP: its QPs connect only through the RDMA CM, which
# ibv_rc_pingpong does not use, so over siw it runs rping with data
# validation (-V) at rping's largest buffer, 64 KiB - 1.
# Every memory region the tool registers is pinned by ib_umem_get(), and
# rxe and siw read the umem's pages.  One "dma_sg_e2e:" line per case.
PATH=/bin:/usr/bin:/sbin:/usr/sbin
export PATH
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
ip link set lo up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0

SIZE=$((4 << 20))
ITERS=8

report() { # case map bytes mismatches MB/s result [reason]
	echo "dma_sg_e2e: case=$1 map=$2 nents=- bytes=$3 mismatches=$4 MB/s=$5 result=$6${7:+ reason=$7}"
}

# gid index of the device's IPv4 address, else 0
gid_of() {
	idx=$(ibv_devinfo -v -d "$1" 2>/dev/null |
	      sed -n 's/.*GID\[ *\([0-9]*\)\]:.*ffff:10\.0\.2\.15.*/\1/p' | head -n 1)
	echo "${idx:-0}"
}

# Run a tool's server in the background and its client here; sets src and
# crc to their exit codes and prints both logs prefixed with the device.
client_server() { # device tool server-args client-args
	$2 $3 >/tmp/server.log 2>&1 &
	server=$!
	sleep 2
	timeout 600 $2 $4 >/tmp/client.log 2>&1
	crc=$?
	wait $server
	src=$?
	sed "s/^/$1 server: /" /tmp/server.log
	sed "s/^/$1 client: /" /tmp/client.log
}

pingpong() { # device
	dev=$1
	gid=$(gid_of "$dev")
	ibv_devinfo -v -d "$dev" | grep -E 'hca_id|state|GID' | sed "s/^/$dev: /"
	args="-d $dev -g $gid -s $SIZE -n $ITERS -c"
	client_server "$dev" ibv_rc_pingpong "$args" "$args 127.0.0.1"
	bad=$(cat /tmp/server.log /tmp/client.log | grep -c -i 'invalid data')
	line=$(grep 'bytes in' /tmp/client.log | head -n 1)
	bytes=$(echo "$line" | cut -d' ' -f1)
	mbit=$(echo "$line" | sed -n 's/.*= \([0-9.]*\) Mbit\/sec.*/\1/p')
	mbs=$(echo "$mbit" | awk '{ printf "%.1f", $1 / 8 }' 2>/dev/null)
	if [ $crc = 0 ] && [ $src = 0 ] && [ "$bad" = 0 ] &&
	   [ "$bytes" = $((2 * SIZE * ITERS)) ]; then
		report "${dev%0}_rc_pingpong" "$dev" "$bytes" 0 "${mbs:--}" PASS
	else
		report "${dev%0}_rc_pingpong" "$dev" "${bytes:-0}" "$bad" - FAIL \
			"exit=$src/$crc"
	fi
}

if rdma link add rxe0 type rxe netdev eth0; then
	pingpong rxe0
else
	report rxe_rc_pingpong rxe0 0 - - FAIL "rdma-link-add"
fi
RPING_SIZE=65535
RPING_COUNT=50
if rdma link add siw0 type siw netdev eth0; then
	args="-a 10.0.2.15 -C $RPING_COUNT -S $RPING_SIZE -V"
	client_server siw0 rping "-s $args" "-c $args"
	bad=$(cat /tmp/server.log /tmp/client.log | grep -c -i 'mismatch\|invalid')
	if [ $crc = 0 ] && [ $src = 0 ] && [ "$bad" = 0 ]; then
		report siw_rping siw0 $((RPING_SIZE * RPING_COUNT)) 0 - PASS
	else
		report siw_rping siw0 0 "$bad" - FAIL "exit=$src/$crc"
	fi
else
	report siw_rping siw0 0 - - FAIL "rdma-link-add"
fi
# Have kmemleak scan: it reports an object on the second scan that finds
# it unreferenced and unchanged, and none younger than 5 s.
if mount -t debugfs debugfs /sys/kernel/debug &&
   [ -e /sys/kernel/debug/kmemleak ]; then
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	echo "leakscan: kmemleak scanned twice"
	cat /sys/kernel/debug/kmemleak
fi
echo "dma_sg_e2e: done"
poweroff -f
