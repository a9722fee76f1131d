package io.lambdastack.speed.input;

import io.lambdastack.speed.metrics.SpeedCounters;
import io.lambdastack.view.event.Event;
import java.nio.charset.StandardCharsets;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Text inputs: one JSON event per line, from a socket or from files landing in a directory, parsed like
 * Kafka records (unparseable lines counted and skipped) and routed as if read from the input's topic. They
 * have no offsets to commit: a socket's lines are lost on failure, a directory's files are picked up once by
 * modification time (Spark's textFileStream contract: move complete files in, never write them in place).
 */
public final class LineInput {
  private LineInput() {}

  public static JavaPairDStream<String, Event> events(JavaStreamingContext ssc, SpeedInput input) {
    JavaDStream<String> lines = switch (input.kind()) {
      case SOCKET -> ssc.socketTextStream(input.host(), input.port());
      case DIRECTORY -> ssc.textFileStream(input.directory());
      case KAFKA -> throw new IllegalArgumentException("kafka is not a line input");
    };
    return parse(lines, input.topic());
  }

  /** The same parsing for any stream of lines (also a queue stream in tests). */
  public static JavaPairDStream<String, Event> parse(JavaDStream<String> lines, String topic) {
    return lines.transformToPair(rdd -> {
      SpeedCounters counters = SpeedCounters.get(rdd.context());
      LongAccumulator events = counters.events;
      LongAccumulator unparseable = counters.unparseable;
      return rdd.filter(line -> !line.isBlank())
          .flatMapToPair(line -> EventParsing.parse(topic, line.getBytes(StandardCharsets.UTF_8), events, unparseable));
    });
  }
}
