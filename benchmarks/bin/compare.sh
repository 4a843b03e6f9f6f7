#!/usr/bin/env bash
# Compares two JMH JSON result files (java -jar benchmarks.jar ... -rf json -rff FILE): the score of
# each benchmark in both, new/old, and bytes allocated per operation (with -prof gc). A ratio marked
# * changed beyond both runs' error intervals.
#   benchmarks/bin/compare.sh old.json new.json
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 OLD.json NEW.json" >&2
  exit 2
fi
jar="$(cd "$(dirname "$0")/.." && pwd)/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  echo "$jar not found: build it first with ./mvnw -B -q package -DskipTests -pl benchmarks -am" >&2
  exit 1
fi
exec java -cp "$jar" fr.acclermont.benchmarks.CompareResults "$1" "$2"
