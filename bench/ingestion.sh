#!/usr/bin/env bash
# Ingestion benchmark (issue #3): on one fresh embedded broker, in one run, prints
#   - the platform producer's rate / Kafka's ProducerPerformance rate at the same record size and settings
#     (alternated rounds; best of each), goal >= 0.9;
#   - the validator's records/s (exactly_once_v2) on a raw topic with 5 % bad records and 2 % duplicates.
# Usage: bench/ingestion.sh [--records N] [--rounds R]
set -euo pipefail
cd "$(dirname "$0")/.."
exec ./lambda bench-ingestion "$@"
