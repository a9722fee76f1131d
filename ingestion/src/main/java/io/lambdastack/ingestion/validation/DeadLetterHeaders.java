package io.lambdastack.ingestion.validation;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** The headers a dead-letter record carries next to the original bytes. */
public final class DeadLetterHeaders {
  public static final String REASON = "lambda.dlq.reason";
  public static final String SOURCE_TOPIC = "lambda.dlq.source.topic";
  public static final String SOURCE_PARTITION = "lambda.dlq.source.partition";
  public static final String SOURCE_OFFSET = "lambda.dlq.source.offset";
  public static final String REJECTED_AT = "lambda.dlq.rejected.at";

  private DeadLetterHeaders() {}

  static void add(Headers headers, String name, Object value) {
    headers.add(name, String.valueOf(value).getBytes(StandardCharsets.UTF_8));
  }

  /** The value of a header as text, or null. */
  public static String get(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
