package io.lambdastack.ingestion.cli;

import io.lambdastack.ingestion.validation.ValidatorSettings;
import io.lambdastack.view.config.ConfigException;
import io.lambdastack.view.definition.Durations;
import picocli.CommandLine.Option;

/** The options naming the ingestion topics, shared by validate and ingest-report. */
public final class IngestTopics {
  @picocli.CommandLine.Mixin
  io.lambdastack.view.config.KafkaBootstrap kafka;

  @Option(names = "--raw-topic", defaultValue = "raw-readings", description = "topic of raw records (default ${DEFAULT-VALUE})")
  String raw;

  @Option(names = "--clean-topic", defaultValue = "sensor-readings", description = "topic of valid events (default ${DEFAULT-VALUE})")
  String clean;

  @Option(names = "--dead-letter-topic", defaultValue = "dead-letter", description = "topic of rejected records (default ${DEFAULT-VALUE})")
  String deadLetter;

  @Option(names = "--duplicates-topic", defaultValue = "duplicates", description = "topic recording dropped duplicates (default ${DEFAULT-VALUE})")
  String duplicates;

  @Option(names = "--max-payload-bytes", defaultValue = "65536", description = "larger records are rejected (default ${DEFAULT-VALUE})")
  int maxPayloadBytes;

  @Option(names = "--dedup-horizon", defaultValue = "1h", description = "an event id seen again within this time is a duplicate (default ${DEFAULT-VALUE})")
  String dedupHorizon;

  public ValidatorSettings settings(String applicationId, String stateDir) {
    if (maxPayloadBytes <= 0) {
      throw new ConfigException("--max-payload-bytes must be positive, got " + maxPayloadBytes);
    }
    java.time.Duration horizon;
    try {
      horizon = Durations.parse(dedupHorizon);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--dedup-horizon " + e.getMessage());
    }
    return new ValidatorSettings(applicationId, kafka.servers(), raw, clean, deadLetter, duplicates, maxPayloadBytes, horizon, stateDir);
  }

  public String bootstrap() {
    return kafka.servers();
  }
}
