package io.lambdastack.ingestion.cli;

import io.lambdastack.ingestion.validation.Validator;
import io.lambdastack.ingestion.validation.ValidatorSettings;
import io.lambdastack.view.config.ConfigException;
import io.lambdastack.view.config.StopSignal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lambda validate}: runs the validator (Kafka Streams, exactly_once_v2) until SIGTERM. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = {"Validate raw records into the clean topic (typed, ts normalized to UTC millis), the dead-letter",
        "topic (original bytes + reason headers) and the duplicates topic; exactly once (EOS v2)."})
public final class ValidateCommand implements Callable<Integer> {
  @Mixin
  IngestTopics topics;

  @Option(names = "--application-id", defaultValue = "lambda-validator", description = "Kafka Streams application id")
  String applicationId;

  @Option(names = "--state-dir", defaultValue = ".lambda/validator", description = "Kafka Streams state directory (default ${DEFAULT-VALUE})")
  Path stateDir;

  @Override
  public Integer call() throws Exception {
    try {
      Files.createDirectories(stateDir);
    } catch (java.io.IOException e) {
      throw new ConfigException("state directory " + stateDir + " is not writable: choose another with --state-dir");
    }
    ValidatorSettings settings = topics.settings(applicationId, stateDir.toString());
    StopSignal stop = StopSignal.install();
    try (Validator validator = Validator.start(settings, Duration.ofSeconds(60))) {
      System.out.println("validator running: " + settings.rawTopic() + " -> " + settings.cleanTopic() + " | "
          + settings.deadLetterTopic() + " | " + settings.duplicatesTopic() + " (Ctrl-C to stop)");
      System.out.println("stopping on " + stop.await());
    }
    return 0;
  }
}
