#!/bin/sh
# demo.sh: a party of three members (alice hosts, bob and carol join) on this machine, formed
# through the local control plane; each member has its own --home under a temporary directory.
# Once the tunnels are up, each member sends a line to the others through them ('party say'),
# then the party's status table is printed as each member sees it (connection type, latency over
# the tunnel), and everyone leaves. No root needed.
#   DEMO_NETWORK=embedded|off|...   network backend for the members (default: embedded, WireGuard
#                                   inside each JVM on loopback; off runs membership only)
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
root=$(CDPATH= cd -- "$here/../.." && pwd)
party="$here/party"
network=${DEMO_NETWORK:-embedded}

if [ ! -f "$here/target/party-cli.jar" ]; then
  echo "== building party-cli"
  (cd "$root" && ./mvnw -q -pl examples/party-cli -am package -DskipTests)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/partynet-demo.XXXXXX")
pids=""
cleanup() {
  for pid in $pids; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in $pids; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

common() { # home name: each member on its own free UDP port of the loopback address
  echo --home "$work/$1" --name "$2" --network "$network" --set "control.local.discovery-file=$work/discovery.json" \
    --set network.listen-port=0 --set embedded.bind-address=127.0.0.1 --set network.advertise-address=127.0.0.1
}

# wait_for FILE PATTERN SECONDS: polls FILE until a line matches PATTERN, or fails.
wait_for() {
  tries=$(($3 * 10))
  while ! grep -q "$2" "$1" 2>/dev/null; do
    tries=$((tries - 1))
    if [ "$tries" -le 0 ]; then
      echo "demo: gave up waiting for '$2' in $1:" >&2
      cat "$1" >&2
      exit 1
    fi
    sleep 0.1
  done
}

echo "== alice creates the party (network: $network)"
# shellcheck disable=SC2046 # common prints separate words on purpose
"$party" create "Demo night" $(common alice alice) >"$work/alice.log" 2>&1 &
pids="$pids $!"
wait_for "$work/alice.log" "^Invite code: " 60
code=$(sed -n 's/^Invite code: //p' "$work/alice.log")
echo "   invite code $code"

for name in bob carol; do
  echo "== $name joins with $code"
  # shellcheck disable=SC2046
  "$party" join "$code" $(common "$name" "$name") >"$work/$name.log" 2>&1 &
  pids="$pids $!"
  wait_for "$work/$name.log" "^You are $name" 60
done
wait_for "$work/alice.log" "carol joined" 30

# direct_links HOME: how many other members this member reaches over a working WireGuard session.
direct_links() {
  "$party" status --json --home "$1" 2>/dev/null | grep -c '"connectionType" : "DIRECT"' || true
}

if [ "$network" != off ]; then
  echo "== waiting for the WireGuard tunnels"
  for name in alice bob carol; do
    tries=300
    while [ "$(direct_links "$work/$name")" -lt 2 ]; do
      tries=$((tries - 1))
      if [ "$tries" -le 0 ]; then
        echo "demo: $name has no tunnel to everyone after 30 s:" >&2
        "$party" status --home "$work/$name" >&2
        exit 1
      fi
      sleep 0.1
    done
  done
  echo "   every member has a direct tunnel to the two others"

  echo "== each member says hello through the tunnels (UDP datagrams to port 47474 of the others)"
  for name in alice bob carol; do
    "$party" say "hello from $name" --home "$work/$name"
  done
  wait_for "$work/alice.log" "hello from carol" 10
  wait_for "$work/bob.log" "hello from alice" 10
  wait_for "$work/carol.log" "hello from bob" 10
  # Let the latency probes (one per second) measure every link before the tables.
  sleep 2
fi

for name in alice bob carol; do
  echo
  echo "== the party as $name sees it"
  "$party" status --home "$work/$name"
done

echo
echo "== everyone leaves"
for name in carol bob alice; do
  "$party" leave --home "$work/$name" >/dev/null
done
for pid in $pids; do
  wait "$pid" || true
done
pids=""
for name in alice bob carol; do
  echo
  echo "== $name's console"
  cat "$work/$name.log"
done
