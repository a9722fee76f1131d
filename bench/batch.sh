#!/usr/bin/env bash
# Batch-layer benchmark (issue #5): on a fresh embedded Kafka + HDFS, in one run,
#   - replays flights-3m into a topic and archives it into the master dataset (HDFS Parquet);
#   - alternates the recompute (shared fold + late-event count + snapshot + manifest + publish) and a plain
#     Spark SQL groupBy computing the same measures over the same Parquet (and writing them), local[2];
#   - prints both rates and recompute / SQL, goal >= 0.8.
# Needs the dataset: scripts/fetch-flights.sh.  Usage: bench/batch.sh [--rounds N] [--file F]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f data/cache/flights-3m.parquet ] || scripts/fetch-flights.sh
exec ./lambda bench-batch "$@"
