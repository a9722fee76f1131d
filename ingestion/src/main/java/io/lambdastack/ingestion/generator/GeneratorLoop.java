package io.lambdastack.ingestion.generator;

import io.lambdastack.ingestion.kafka.EventPublisher;
import io.lambdastack.view.event.Event;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams generated readings to a topic at a fixed rate (events per second), stamped with the current
 * time, until stopped. Paces by the clock, so a slow send does not lower the average rate.
 */
public final class GeneratorLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(GeneratorLoop.class);
  private final SensorTemperatureGenerator generator;
  private final EventPublisher publisher;
  private final String topic;
  private final double eventsPerSecond;
  private final LongSupplier clock;
  private volatile boolean running = true;
  private double malformed;
  private java.util.Random random;

  public GeneratorLoop(SensorTemperatureGenerator generator, EventPublisher publisher, String topic,
      double eventsPerSecond, LongSupplier clock) {
    this.generator = generator;
    this.publisher = publisher;
    this.topic = topic;
    this.eventsPerSecond = eventsPerSecond;
    this.clock = clock;
  }

  /** Sends this fraction of records as deliberately malformed JSON (the dead-letter path at work). */
  public GeneratorLoop withMalformed(double fraction, java.util.Random random) {
    this.malformed = fraction;
    this.random = random;
    return this;
  }

  @Override
  public void run() {
    long start = System.nanoTime();
    long produced = 0;
    try {
      while (running) {
        long due = (long) ((System.nanoTime() - start) / 1e9 * eventsPerSecond) + 1;
        for (; produced < due && running; produced++) {
          Event e = generator.next(clock.getAsLong());
          if (malformed > 0 && random.nextDouble() < malformed) {
            publisher.sendRaw(topic, e.attributes().get("sensorId"), MalformedRecords.corrupt(e, random));
          } else {
            publisher.send(topic, e.attributes().get("sensorId"), e);
          }
        }
        Thread.sleep(20);
      }
      publisher.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("generator stopped: {}", e.getMessage());
    }
    log.info("generator stopped after {} events ({} acknowledged)", publisher.sent(), publisher.acknowledged());
  }

  public void stop() {
    running = false;
  }
}
