#!/bin/bash
# Prepares a Debian 12 kernel that has the WireGuard module, and a small initramfs that boots it
# under qemu with the host's root filesystem shared read-only over 9p (docs/qemu-kernel-test.md).
#
# Usage: prepare-kernel.sh [CACHE_DIR]   (default: $PARTYNET_QEMU_CACHE or /var/cache/partynet-qemu)
# Idempotent: when CACHE_DIR/current is a complete build made from the current guest-init.sh it
# does nothing; the downloaded package is kept, so a changed guest-init.sh needs no network.
# Result: CACHE_DIR/current -> <kernel release>/ holding vmlinuz, initramfs.cpio.gz, release.
# Exit status: 0 ready; 3 the kernel package cannot be found or downloaded (callers may skip the
# test); anything else is a real failure.
# Needs: apt-get, dpkg-deb, kmod (depmod, modprobe), cpio, gzip, busybox-static.
set -euo pipefail

readonly UNAVAILABLE=3
INIT_SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/guest-init.sh"
readonly INIT_SOURCE
readonly BUSYBOX=/bin/busybox
# Loaded by the guest's /init in this order, each after its dependencies: the virtio 9p transport
# for the shared root, overlayfs for the RAM layer on top of it, WireGuard, and veth for the
# namespaces that ping each other.
readonly GUEST_MODULES=(virtio_pci 9pnet_virtio 9p overlay wireguard veth)
readonly BUSYBOX_APPLETS=(sh mount mkdir insmod chroot poweroff reboot cat echo)

cache_dir="${1:-${PARTYNET_QEMU_CACHE:-/var/cache/partynet-qemu}}"

log() { echo "prepare-kernel: $*" >&2; }

init_digest() { sha256sum "$INIT_SOURCE" | cut -d' ' -f1; }

# Complete means: kernel and initramfs present, and the initramfs holds the current guest-init.sh.
is_complete() {
  local dir="$1"
  [[ -s "$dir/vmlinuz" && -s "$dir/initramfs.cpio.gz" && -s "$dir/release" ]] &&
    [[ "$(cat "$dir/init.sha256" 2>/dev/null)" == "$(init_digest)" ]]
}

# The newest linux-image-6.1.0-N-amd64 that apt can install. The full flavour only: the -cloud
# flavour lacks 9p and -rt is another kernel.
newest_kernel_package() {
  local name
  for name in $(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' |
    awk '{print $1}' | sort -V -r); do
    if [[ "$(apt-cache policy "$name")" == *"Candidate: "[0-9]* ]]; then
      echo "$name"
      return 0
    fi
  done
  return 1
}

download_package() {
  local package="$1" into="$2" work
  work="$(mktemp -d "$cache_dir/.download.XXXXXX")"
  # apt drops to its _apt user for downloads when that user can write the directory.
  if [[ "$(id -u)" == 0 ]] && id _apt >/dev/null 2>&1; then chown _apt "$work"; fi
  log "downloading $package"
  if ! (cd "$work" && apt-get download -q "$package" >&2); then
    rm -rf "$work"
    log "apt-get download $package failed (no network, no Debian 12 mirror, or stale apt lists: apt-get update)"
    return 1
  fi
  mv "$work"/linux-image-*.deb "$into"
  rm -rf "$work"
}

# Builds vmlinuz and initramfs.cpio.gz in $target from $target/package.deb.
build() {
  local target="$1" release="$2" work initramfs module kind path file
  work="$(mktemp -d "$cache_dir/.build.XXXXXX")"
  trap 'rm -rf "$work"' RETURN
  dpkg-deb -x "$target/package.deb" "$work/pkg"
  depmod -b "$work/pkg" "$release" # the .deb ships no modules.dep

  initramfs="$work/initramfs"
  mkdir -p "$initramfs"/{bin,dev,proc,sys,modules,lower,rw,newroot}
  cp "$BUSYBOX" "$initramfs/bin/busybox"
  for applet in "${BUSYBOX_APPLETS[@]}"; do
    ln -s busybox "$initramfs/bin/$applet"
  done
  install -m 0755 "$INIT_SOURCE" "$initramfs/init"
  : >"$initramfs/modules/load-order"
  for module in "${GUEST_MODULES[@]}"; do
    while read -r kind path _; do
      [[ "$kind" == insmod ]] || continue # "builtin NAME": part of the kernel image
      file="$(basename "$path")"
      if ! grep -qxF "$file" "$initramfs/modules/load-order"; then
        cp "$path" "$initramfs/modules/$file"
        echo "$file" >>"$initramfs/modules/load-order"
      fi
    done < <(modprobe -d "$work/pkg" -S "$release" --show-depends "$module")
  done
  (cd "$initramfs" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) \
    >"$work/initramfs.cpio.gz"

  cp "$work/pkg/boot/vmlinuz-$release" "$target/vmlinuz"
  mv "$work/initramfs.cpio.gz" "$target/initramfs.cpio.gz"
  echo "$release" >"$target/release"
  init_digest >"$target/init.sha256"
  log "built $target: kernel $release, $(wc -l <"$initramfs/modules/load-order") modules"
}

mkdir -p "$cache_dir"
exec 9>"$cache_dir/.lock"
flock -w 900 9 || { log "another prepare-kernel.sh holds $cache_dir/.lock for 15 minutes"; exit 1; }
rm -rf "$cache_dir"/.build.* "$cache_dir"/.download.* # left by a run that was killed
if [[ -L "$cache_dir/current" ]] && is_complete "$cache_dir/current"; then
  log "ready: $(readlink -f "$cache_dir/current")"
  exit 0
fi

for tool in apt-get apt-cache dpkg-deb depmod modprobe cpio gzip; do
  command -v "$tool" >/dev/null || { log "missing $tool: apt-get install kmod cpio gzip"; exit 1; }
done
if [[ "$(LC_ALL=C ldd "$BUSYBOX" 2>&1 || true)" != *"not a dynamic executable"* ]]; then
  log "$BUSYBOX is not statically linked: apt-get install busybox-static"
  exit 1
fi

# Picks the newest kernel package and downloads it into CACHE_DIR/<release>/package.deb;
# sets $release. Fails when apt knows no such package or the download fails.
select_and_download() {
  local package
  package="$(newest_kernel_package)" || {
    log "apt knows no linux-image-6.1.0-*-amd64 package (Debian 12 sources needed)"
    return 1
  }
  release="${package#linux-image-}"
  mkdir -p "$cache_dir/$release"
  [[ -s "$cache_dir/$release/package.deb" ]] || download_package "$package" "$cache_dir/$release/package.deb"
}

if [[ -L "$cache_dir/current" && -s "$cache_dir/current/package.deb" ]]; then
  release="$(basename "$(readlink "$cache_dir/current")")" # rebuild the initramfs, same kernel
elif ! select_and_download; then
  # Missing or stale apt lists (a fresh machine, or a package version since removed from the
  # mirror): refresh them once, as root, before giving up.
  [[ "$(id -u)" == 0 ]] || exit "$UNAVAILABLE"
  log "running apt-get update and trying again"
  apt-get update -qq >&2 || true
  select_and_download || exit "$UNAVAILABLE"
fi
target="$cache_dir/$release"
build "$target" "$release"
ln -sfn "$release" "$cache_dir/current.tmp"
mv -T "$cache_dir/current.tmp" "$cache_dir/current"
log "ready: $target"
