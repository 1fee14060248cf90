#!/bin/sh
# The checks of KernelWireGuardQemuTest, run inside the qemu guest as /partynet/run.sh by
# guest-init.sh: chrooted into a RAM overlay of the host's root, with the exchange folder at
# /partynet. This script observes and records; the JUnit side decides. Every step leaves its
# output in /partynet/<step>.log and its exit status in /partynet/<step>.status; the time each
# step took goes to /partynet/timings.
#
# /partynet/env sets JAVA (the test JVM's java) and CLASSPATH (the test JVM's class path).
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
cd /partynet || exit 1
. /partynet/env

# C1 only and a small serial heap: JIT work is the dominant cost under emulation.
JAVA_OPTS="-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Djava.io.tmpdir=/tmp"
MAIN=io.partynet.wireguard.jna.internal.qemu.GuestMain
READY_DEADLINE_SECONDS=120

now() { date +%s.%N; }

step() {
  name=$1
  shift
  started=$(now)
  "$@" >"$name.log" 2>&1
  echo $? >"$name.status"
  echo "$name $started $(now)" >>timings
}

guest_main() { "$JAVA" $JAVA_OPTS -cp "$CLASSPATH" "$MAIN" "$@"; }

# The kernel on its own, with the reference tools only: tells a broken guest from a broken backend.
kernel_check() {
  ip link add pnk0 type wireguard &&
    wg set pnk0 listen-port 41000 private-key /partynet/kernel-check.key &&
    wg show pnk0 dump >kernel-check.dump &&
    ip link del pnk0
}

# Two namespaces joined by a veth pair; GuestMain brings up one WireGuard interface in each.
tunnel_setup() {
  ip netns add pna && ip netns add pnb &&
    ip link add veth-a netns pna type veth peer name veth-b netns pnb &&
    ip -n pna addr add 198.51.100.1/24 dev veth-a && ip -n pnb addr add 198.51.100.2/24 dev veth-b &&
    ip -n pna link set veth-a up && ip -n pnb link set veth-b up &&
    ip -n pna link set lo up && ip -n pnb link set lo up
}

await_tunnel_ready() {
  waited=0
  while [ ! -e tunnel.ready ]; do
    if [ "$waited" -ge $((READY_DEADLINE_SECONDS * 5)) ]; then
      echo "the tunnel JVM was not ready within ${READY_DEADLINE_SECONDS}s"
      return 1
    fi
    if ! kill -0 "$tunnel_pid" 2>/dev/null; then
      echo "the tunnel JVM exited before it was ready"
      return 1
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
}

# Succeeds when none of the given "NAMESPACE INTERFACE" pairs exists any more; namespace "-" is
# the guest's initial one.
links_removed() {
  status=0
  while [ $# -ge 2 ]; do
    if [ "$1" = - ]; then netns=""; else netns="-n $1"; fi
    if ip $netns link show "$2" >/dev/null 2>&1; then
      echo "$2 still exists in namespace $1"
      status=1
    fi
    shift 2
  done
  return $status
}

ip link set lo up
# Before any test interface exists: the links the guest was born with (only lo is expected).
step guest-links ip -o link show
step kernel-check kernel_check
step configure guest_main configure
step configure-closed links_removed - wg0 - wgl - wgf

step tunnel-setup tunnel_setup
tunnel_started=$(now)
guest_main tunnel >tunnel.log 2>&1 &
tunnel_pid=$!
step tunnel-ready await_tunnel_ready
# -c 3 -w 30: done after three replies, at most 30 s; exit status 0 when replies came.
step ping ip netns exec pna ping -c 3 -i 0.2 -w 30 10.77.0.2
touch tunnel.go
wait "$tunnel_pid"
echo $? >tunnel.status
echo "tunnel $tunnel_started $(now)" >>timings
step tunnel-closed links_removed pna wga pnb wgb
