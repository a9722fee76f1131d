#!/usr/bin/env bash
# Fetches the real dataset used by `lambda produce replay`: data/flights-3m.parquet from the npm package
# vega-datasets 3.2.1 (3,000,000 US flights, 2001-01..2001-06). Cached under data/cache/, never committed.
# Prints the path of the Parquet file.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=data/cache
FILE="$CACHE/flights-3m.parquet"
if [ ! -s "$FILE" ]; then
  command -v npm >/dev/null || { echo "error: npm is needed to fetch vega-datasets (install Node.js/npm)" >&2; exit 2; }
  mkdir -p "$CACHE/tmp"
  (cd "$CACHE/tmp" && npm pack --silent vega-datasets@3.2.1 >/dev/null)
  tar -xzf "$CACHE"/tmp/vega-datasets-3.2.1.tgz -C "$CACHE/tmp" package/data/flights-3m.parquet
  mv "$CACHE/tmp/package/data/flights-3m.parquet" "$FILE"
  rm -rf "$CACHE/tmp"
fi
echo "$FILE"
