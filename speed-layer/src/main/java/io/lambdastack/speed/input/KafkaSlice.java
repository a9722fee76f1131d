package io.lambdastack.speed.input;

import io.lambdastack.view.kafka.TopicRange;
import java.io.Serializable;
import java.util.List;

/**
 * The Kafka offset ranges one task of a micro-batch reads, where, and the batch's time: enough to read the task's events again later in
 * the batch ({@code CommittedRangeReader} reads the same committed records of the same ranges every time). A landmark
 * view's part of a batch names its slice instead of carrying its events, for the rare batch that needs them
 * ({@code LandmarkEvents}).
 */
public record KafkaSlice(long batchTime, List<TopicRange> ranges, String bootstrapServers) implements Serializable {
  public KafkaSlice {
    ranges = List.copyOf(ranges);
  }

  @Override
  public String toString() {
    return ranges.stream().map(TopicRange::toString).collect(java.util.stream.Collectors.joining(", ")) + " at " + bootstrapServers;
  }
}
