package io.lambdastack.batch.archive;

import io.lambdastack.view.event.Event;
import io.lambdastack.view.event.EventFormatException;
import io.lambdastack.view.event.EventJson;
import io.lambdastack.view.kafka.CommittedRangeReader.Committed;
import java.io.Serializable;
import java.util.Base64;

/** A record read for the archive: its place in the log and either its event or why it is not one. */
public record ArchivedRecord(String topic, int partition, long offset, long kafkaTimestamp, Event event,
    String rejectReason, byte[] raw) implements Serializable {

  public static ArchivedRecord of(Committed c) {
    try {
      return new ArchivedRecord(c.topic(), c.partition(), c.offset(), c.timestamp(), EventJson.parse(c.value()), null, null);
    } catch (EventFormatException | RuntimeException e) {
      // The clean topic holds validated events; anything else came around the validator. Kept aside, not lost.
      return new ArchivedRecord(c.topic(), c.partition(), c.offset(), c.timestamp(), null,
          String.valueOf(e.getMessage()), c.value());
    }
  }

  public boolean isEvent() {
    return event != null;
  }

  /** One JSON line for {@code _rejected}: where the record was, why it was refused, its bytes in base64. */
  public String rejectedJson() {
    return "{\"topic\":" + quote(topic) + ",\"partition\":" + partition + ",\"offset\":" + offset
        + ",\"reason\":" + quote(rejectReason) + ",\"value_base64\":\"" + Base64.getEncoder().encodeToString(raw) + "\"}";
  }

  private static String quote(String s) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
