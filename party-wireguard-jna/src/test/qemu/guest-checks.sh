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

java_version() { "$JAVA" $JAVA_OPTS -version; }

# Two namespaces joined by a veth pair; the netlink backend brings up one WireGuard interface in
# each (one JVM per namespace, since a netlink socket belongs to its creator's namespace).
tunnel_setup() {
  ip netns add pna && ip netns add pnb &&
    ip link add veth-a netns pna type veth peer name veth-b netns pnb &&
    ip -n pna addr add 198.51.100.1/24 dev veth-a && ip -n pnb addr add 198.51.100.2/24 dev veth-b &&
    ip -n pna link set veth-a up && ip -n pnb link set veth-b up &&
    ip -n pna link set lo up && ip -n pnb link set lo up
}

await_ready() {
  waited=0
  while [ ! -e tunnel-a.ready ] || [ ! -e tunnel-b.ready ]; do
    if [ "$waited" -ge $((READY_DEADLINE_SECONDS * 5)) ]; then
      echo "the tunnel JVMs were not ready within ${READY_DEADLINE_SECONDS}s"
      return 1
    fi
    if ! kill -0 "$pid_a" 2>/dev/null || ! kill -0 "$pid_b" 2>/dev/null; then
      echo "a tunnel JVM exited before it was ready"
      return 1
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
}

ip link set lo up
step kernel-check kernel_check
step java-version java_version
step configure guest_main configure wg0 configure

step tunnel-setup tunnel_setup
tunnel_started=$(now)
ip netns exec pna "$JAVA" $JAVA_OPTS -cp "$CLASSPATH" "$MAIN" tunnel wga 10.77.0.1/24 tunnel-a >tunnel-a.log 2>&1 &
pid_a=$!
ip netns exec pnb "$JAVA" $JAVA_OPTS -cp "$CLASSPATH" "$MAIN" tunnel wgb 10.77.0.2/24 tunnel-b >tunnel-b.log 2>&1 &
pid_b=$!
step tunnel-ready await_ready
# -c 3 -w 30: done after three replies, at most 30 s; exit status 0 when replies came.
step ping ip netns exec pna ping -c 3 -i 0.2 -w 30 10.77.0.2
touch tunnel.go
wait "$pid_a"
echo $? >tunnel-a.status
wait "$pid_b"
echo $? >tunnel-b.status
echo "tunnel $tunnel_started $(now)" >>timings
