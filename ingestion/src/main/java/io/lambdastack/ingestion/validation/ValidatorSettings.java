package io.lambdastack.ingestion.validation;

import java.time.Duration;

/**
 * The validator's topics and limits.
 *
 * @param duplicatesTopic where dropped duplicates are recorded (key = event id), so that raw = clean +
 *                        dead-letter + duplicates can be checked from Kafka alone
 * @param dedupHorizon    an event id seen again within this time (record timestamps) is a duplicate
 */
public record ValidatorSettings(String applicationId, String bootstrapServers, String rawTopic, String cleanTopic,
    String deadLetterTopic, String duplicatesTopic, int maxPayloadBytes, Duration dedupHorizon, String stateDir) {

  public static ValidatorSettings defaults(String bootstrapServers, String stateDir) {
    return new ValidatorSettings("lambda-validator", bootstrapServers, "raw-readings", "sensor-readings",
        "dead-letter", "duplicates", 64 * 1024, Duration.ofHours(1), stateDir);
  }
}
