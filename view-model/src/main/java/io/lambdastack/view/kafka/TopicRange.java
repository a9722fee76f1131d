package io.lambdastack.view.kafka;

import java.io.Serializable;
import org.apache.kafka.common.TopicPartition;

/** Offsets {@code [from, until)} of one topic partition: what a micro-batch or an archive run reads. */
public record TopicRange(String topic, int partition, long from, long until) implements Serializable {

  public TopicRange {
    if (from < 0 || until < from) {
      throw new IllegalArgumentException("bad offset range " + topic + "-" + partition + " [" + from + ", " + until + ")");
    }
  }

  public TopicPartition topicPartition() {
    return new TopicPartition(topic, partition);
  }

  public boolean isEmpty() {
    return from == until;
  }

  /** This range cut into pieces of at most {@code maxRecords} offsets (so one Spark task holds a bounded piece). */
  public java.util.List<TopicRange> split(long maxRecords) {
    java.util.List<TopicRange> pieces = new java.util.ArrayList<>();
    for (long start = from; start < until; start += maxRecords) {
      pieces.add(new TopicRange(topic, partition, start, Math.min(until, start + maxRecords)));
    }
    return pieces;
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "[" + from + ".." + until + ")";
  }
}
