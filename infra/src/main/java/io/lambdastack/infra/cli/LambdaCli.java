package io.lambdastack.infra.cli;

import io.lambdastack.infra.bench.IngestionBench;
import io.lambdastack.infra.bench.SpeedBench;
import io.lambdastack.infra.toolbox.KafkaTool;
import io.lambdastack.ingestion.cli.IngestReportCommand;
import io.lambdastack.ingestion.cli.ProduceCommand;
import io.lambdastack.ingestion.cli.ValidateCommand;
import io.lambdastack.speed.SpeedLayerApp;
import io.lambdastack.view.config.OneLineErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./lambda}: the platform's command line. */
@Command(name = "lambda", mixinStandardHelpOptions = true, version = "lambdastack 0.1.0",
    description = "A Lambda-architecture data platform on Kafka, Spark and HDFS.",
    subcommands = {DemoCommand.class, ProduceCommand.class, ValidateCommand.class, IngestReportCommand.class, SpeedLayerApp.class, io.lambdastack.batch.cli.BatchApp.class,
        io.lambdastack.infra.kappa.ReprocessCommand.class,
        KafkaTool.Topics.class, KafkaTool.ConsoleProducer.class, KafkaTool.ConsoleConsumer.class, KafkaTool.ConsumerGroups.class,
        KafkaTool.ProducerPerfTest.class, KafkaTool.ConsumerPerfTest.class, KafkaTool.MetadataQuorum.class,
        IngestionBench.class, SpeedBench.class, io.lambdastack.infra.bench.BatchBench.class, CommandLine.HelpCommand.class})
public final class LambdaCli implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command; problems with config, ports, brokers or directories print one line and return 2. */
  public static int run(String... args) {
    return OneLineErrors.execute(new LambdaCli(), args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
