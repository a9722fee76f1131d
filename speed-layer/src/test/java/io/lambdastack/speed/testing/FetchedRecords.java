package io.lambdastack.speed.testing;

import java.nio.ByteBuffer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Kafka records as the speed layer's consumer hands them (ByteBuffer values), for unit tests that have no broker. */
public final class FetchedRecords {
  private FetchedRecords() {}

  /** A record of {@code topic} with no key; a null value is a tombstone. */
  public static ConsumerRecord<ByteBuffer, ByteBuffer> record(String topic, ByteBuffer value) {
    return new ConsumerRecord<>(topic, 0, 0, null, value);
  }
}
