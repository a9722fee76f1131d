package io.lambdastack.batch.recompute;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;

/**
 * When an event arrived in its topic: Kafka timestamp, then partition, then offset. The order the late-event
 * rule reads "earlier" in (the speed layer sees events in arrival order); unique per event of a topic.
 */
record Arrival(long timestamp, int partition, long offset) implements Comparable<Arrival>, Serializable {
  @Override
  public int compareTo(Arrival o) {
    int c = Long.compare(timestamp, o.timestamp);
    if (c == 0) {
      c = Integer.compare(partition, o.partition);
    }
    return c != 0 ? c : Long.compare(offset, o.offset);
  }

  static Arrival min(Arrival a, Arrival b) {
    return a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
  }

  static Arrival max(Arrival a, Arrival b) {
    return a == null ? b : b == null ? a : a.compareTo(b) >= 0 ? a : b;
  }

  static void write(Arrival a, DataOutput out) throws IOException {
    out.writeBoolean(a != null);
    if (a != null) {
      out.writeLong(a.timestamp);
      out.writeInt(a.partition);
      out.writeLong(a.offset);
    }
  }

  static Arrival read(DataInput in) throws IOException {
    return in.readBoolean() ? new Arrival(in.readLong(), in.readInt(), in.readLong()) : null;
  }
}
