#!/bin/sh
# The README's main job: a party of three party-cli members on this machine (examples/party-cli/demo.sh).
exec "$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)/examples/party-cli/demo.sh" "$@"
