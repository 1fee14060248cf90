#!/usr/bin/env bash
# Runs one benchmark main from a module's test sources (benchmarks are never run by the tests):
#   ./bench.sh MODULE MAIN_CLASS [ARGS...]
# e.g. ./bench.sh party-core io.partynet.core.bench.RegistryBenchmark
# See docs/benchmarks.md for every benchmark and what it prints.
set -euo pipefail
cd "$(dirname "$0")"
if [ $# -lt 2 ]; then
  echo "usage: ./bench.sh MODULE MAIN_CLASS [ARGS...]   (see docs/benchmarks.md)" >&2
  exit 2
fi
module=$1
main=$2
shift 2
./mvnw -q -B -pl "$module" -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
classpath="$module/target/test-classes:$module/target/classes:$(cat "$module/target/bench-classpath.txt")"
exec java -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$classpath" "$main" "$@"
