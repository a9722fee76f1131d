package io.lambdastack.ingestion.validation;

import io.lambdastack.view.event.Event;
import io.lambdastack.view.event.EventFormatException;
import io.lambdastack.view.event.EventJson;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Validates one raw record: a valid event goes to the clean topic (normalized: UTC epoch-millis {@code ts},
 * same key); an invalid one to the dead-letter topic with its original bytes and the precise reason; an
 * event whose id was seen within the horizon to the duplicates topic. Never throws on bad input.
 */
final class ValidatorProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  static final String STORE = "seen-event-ids";
  static final String CLEAN = "clean";
  static final String DEAD_LETTER = "dead-letter";
  static final String DUPLICATES = "duplicates";

  private final int maxPayloadBytes;
  private final Duration horizon;
  private ProcessorContext<byte[], byte[]> context;
  private WindowStore<String, Long> seen;

  ValidatorProcessor(int maxPayloadBytes, Duration horizon) {
    this.maxPayloadBytes = maxPayloadBytes;
    this.horizon = horizon;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.seen = context.getStateStore(STORE);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    byte[] value = record.value();
    if (value != null && value.length > maxPayloadBytes) {
      reject(record, "payload over " + maxPayloadBytes + " bytes");
      return;
    }
    Event event;
    try {
      event = EventJson.parse(value);
    } catch (EventFormatException e) {
      reject(record, e.reason());
      return;
    }
    if (isDuplicate(event.id(), record.timestamp())) {
      context.forward(new Record<>(event.id().getBytes(java.nio.charset.StandardCharsets.UTF_8), value, record.timestamp()),
          DUPLICATES);
      return;
    }
    seen.put(event.id(), record.timestamp(), record.timestamp());
    context.forward(new Record<>(record.key(), EventJson.toBytes(event), record.timestamp()), CLEAN);
  }

  private boolean isDuplicate(String id, long timestamp) {
    try (WindowStoreIterator<Long> it = seen.fetch(id, timestamp - horizon.toMillis(), timestamp + horizon.toMillis())) {
      return it.hasNext();
    }
  }

  private void reject(Record<byte[], byte[]> record, String reason) {
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    DeadLetterHeaders.add(headers, DeadLetterHeaders.REASON, reason);
    RecordMetadata source = context.recordMetadata().orElse(null);
    if (source != null) {
      DeadLetterHeaders.add(headers, DeadLetterHeaders.SOURCE_TOPIC, source.topic());
      DeadLetterHeaders.add(headers, DeadLetterHeaders.SOURCE_PARTITION, source.partition());
      DeadLetterHeaders.add(headers, DeadLetterHeaders.SOURCE_OFFSET, source.offset());
    }
    DeadLetterHeaders.add(headers, DeadLetterHeaders.REJECTED_AT, Instant.ofEpochMilli(context.currentSystemTimeMs()));
    context.forward(new Record<>(record.key(), record.value(), record.timestamp(), headers), DEAD_LETTER);
  }
}
