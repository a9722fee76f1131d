package io.lambdastack.view.config;

import picocli.CommandLine.Option;

/** The {@code --bootstrap-servers} option of every command, one default for all: the demo's broker. */
public final class KafkaBootstrap {
  @Option(names = "--bootstrap-servers", defaultValue = "${env:LAMBDA_KAFKA_BOOTSTRAP:-127.0.0.1:19092}",
      description = "Kafka bootstrap servers (env LAMBDA_KAFKA_BOOTSTRAP; default: the demo's broker, ${DEFAULT-VALUE})")
  String servers;

  public String servers() {
    return servers;
  }
}
