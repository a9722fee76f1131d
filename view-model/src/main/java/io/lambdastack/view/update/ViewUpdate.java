package io.lambdastack.view.update;

import java.io.Serializable;
import java.util.Map;

/**
 * The full aggregate of one (view, key, bucket) as published to the compacted speed-view topic: an idempotent
 * upsert (re-publishing it changes nothing), carrying the answers and the encoded mergeable state.
 *
 * @param events    events folded into the bucket
 * @param measures  measure name → answer, as served
 * @param aggregate {@code ViewAggregator.encode} of the state, so a reader can merge buckets
 * @param layer     "speed" or "batch"
 * @param updatedAt when the layer produced it (batch time of the micro-batch), epoch millis
 */
public record ViewUpdate(String view, String key, long bucketStart, long bucketEnd, long events,
    Map<String, Object> measures, byte[] aggregate, String layer, long updatedAt) implements Serializable {

  public ViewUpdate {
    measures = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(measures));
  }
}
