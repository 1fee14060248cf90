#!/bin/sh
# /init of the qemu test guest (runs from the initramfs, under static busybox).
# Loads the modules listed in /modules/load-order, mounts the host's root (9p tag "hostroot",
# read-only) under a RAM overlay, mounts the writable exchange folder (9p tag "partynet") at
# /partynet, then runs /partynet/run.sh chrooted into that view of the host, so the host's own
# java, wg and ip run unchanged. The script's exit status goes to /partynet/exit-status; the
# guest then powers off. Any failure here reboots, which qemu -no-reboot turns into an exit.
export PATH=/bin

fail() {
  echo "partynet-init: $*"
  reboot -f
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
while read -r module; do
  insmod "/modules/$module" || fail "insmod $module failed"
done </modules/load-order

mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 hostroot /lower ||
  fail "cannot mount the host root (qemu needs -virtfs ...,mount_tag=hostroot)"
mount -t tmpfs -o mode=0755 overlay-rw /rw || fail "cannot mount tmpfs"
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot ||
  fail "cannot mount the overlay on the host root"

mkdir -p /newroot/partynet
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 partynet /newroot/partynet ||
  fail "cannot mount the exchange folder (qemu needs -virtfs ...,mount_tag=partynet)"
mount -t proc proc /newroot/proc
mount -t sysfs sysfs /newroot/sys
mount -t devtmpfs devtmpfs /newroot/dev
mkdir -p /newroot/dev/pts /newroot/dev/shm
mount -t devpts devpts /newroot/dev/pts
# /tmp stays on the RAM overlay so that a project checked out under /tmp stays visible to the guest.
for dir in /newroot/dev/shm /newroot/run; do
  mount -t tmpfs -o mode=1777 tmpfs "$dir"
done

echo "partynet-init: running /partynet/run.sh"
chroot /newroot /bin/sh -c 'cd / && exec /bin/sh /partynet/run.sh'
echo "$?" >/newroot/partynet/exit-status
echo "partynet-init: done"
poweroff -f
