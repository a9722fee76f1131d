package io.lambdastack.ingestion.validation;

import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running validator: a Kafka Streams client of {@link ValidatorTopology}, started and stopped cleanly. */
public final class Validator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Validator.class);
  private final KafkaStreams streams;

  private Validator(KafkaStreams streams) {
    this.streams = streams;
  }

  /** Starts and waits until the client is RUNNING (or fails to). */
  public static Validator start(ValidatorSettings settings, Duration timeout) throws InterruptedException {
    KafkaStreams streams = new KafkaStreams(ValidatorTopology.build(settings), ValidatorTopology.config(settings));
    streams.setUncaughtExceptionHandler(e -> {
      // Bad input never gets here (it is dead-lettered); this is an infrastructure failure.
      log.error("validator failed: {}", e.toString());
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.start();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING
          || System.nanoTime() > deadline) {
        streams.close(Duration.ofSeconds(10));
        throw new IllegalStateException("validator did not start: state " + streams.state());
      }
      Thread.sleep(50);
    }
    log.info("validator running: {} -> {} + {} (dead letters) + {} (duplicates)", settings.rawTopic(),
        settings.cleanTopic(), settings.deadLetterTopic(), settings.duplicatesTopic());
    return new Validator(streams);
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(20));
  }
}
