#!/usr/bin/env bash
# Speed-layer benchmark (issue #4): on a fresh embedded Kafka + HDFS, in one run, prints
#   - Kafka's ConsumerPerformance read rate on a topic pre-filled with 96,000,000 JSON sensor events (its first
#     10,000,000, fetch.max.wait.ms=10: a consumer at the end of a partition otherwise stalls the whole read);
#   - one thread parsing and folding 1,000,000 of those events in memory (every view, outside Spark and Kafka):
#     twice that rate over ConsumerPerformance is the ratio's ceiling for the job's per-event work;
#   - the Kafka read floor: Spark's own direct stream on local[2] doing nothing but read the records (30,000,000 of
#     the same events spread evenly on a topic of their own), stepped up to and past the goal's rate, and what a
#     batch at the goal's rate takes: the parse and fold alone on both cores (at best), and with that read (estimate);
#   - the speed layer's sustainable rate on local[2] (the view file's views, batch interval 1 s): the largest
#     input rate whose mean batch processing time (Spark's StreamingListener) stays under the interval,
#     stepped with backpressure off and maxRatePerPartition set (">=" when the topic's limit kept up: not the knee);
#     and sustainable / ConsumerPerformance, goal >= 0.5;
#   - produce->visible latency p50/p95/max at half that rate (send time -> upsert seen in the speed-view
#     topic), goal p95 <= batch interval + 1 s, over 20 s after 30 s of warm-up at the same rate (the warm-up's
#     latency is printed apart as start-up, and the latency of every 10 s of sending too); the live events are
#     JSON-encoded before the clock starts, and the CPU the sending thread used is printed. Before the measured
#     job starts, 20 s of the same load run through a throwaway job (pre-warm), so the load generator, broker and
#     probe, embedded in this JVM, run warm as their deployed counterparts would;
#   - the live knee: the sustainable rate under that live load (the sender and the broker's appends share the two cores
#     with the job, so half the pre-filled knee is close to the job's whole live capacity), up to 4 live steps of 15 s
#     from half the pre-filled knee, and produce->visible latency again at half of it, the same way. Both latency
#     results are printed with their verdicts; the one at half the live knee is the load with headroom the goal means.
# About 9-10 minutes on 2 cores, 4-5 GB of scratch space (4.2 GB at its largest in run 81; deleted at the end, also on Ctrl-C).
# Usage: bench/speed-layer.sh [--records N] [--perf-records N] [--floor-records N] [--batch-interval 2s] [--views F]
#   [--latency-rate R] [--latency-warmup S] [--latency-prewarm S] [--latency-seconds S] [--live-steps N] [--help]
set -euo pipefail
cd "$(dirname "$0")/.."
exec ./lambda bench-speed "$@"
