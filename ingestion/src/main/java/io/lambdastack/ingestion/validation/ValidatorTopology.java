package io.lambdastack.ingestion.validation;

import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * raw topic → validator → clean topic + dead-letter topic + duplicates topic, exactly once (EOS v2): every
 * raw record ends in exactly one of the three, so raw = clean + dead-letter + duplicates.
 */
public final class ValidatorTopology {
  private ValidatorTopology() {}

  public static Topology build(ValidatorSettings s) {
    Topology topology = new Topology();
    topology.addSource("raw", new ByteArrayDeserializer(), new ByteArrayDeserializer(), s.rawTopic());
    topology.addProcessor("validate", () -> new ValidatorProcessor(s.maxPayloadBytes(), s.dedupHorizon()), "raw");
    topology.addStateStore(Stores.windowStoreBuilder(
        Stores.persistentWindowStore(ValidatorProcessor.STORE, s.dedupHorizon().multipliedBy(2).plusMinutes(1),
            s.dedupHorizon().multipliedBy(2).plusMinutes(1), false),
        Serdes.String(), Serdes.Long()), "validate");
    topology.addSink(ValidatorProcessor.CLEAN, s.cleanTopic(), new ByteArraySerializer(), new ByteArraySerializer(), "validate");
    topology.addSink(ValidatorProcessor.DEAD_LETTER, s.deadLetterTopic(), new ByteArraySerializer(), new ByteArraySerializer(), "validate");
    topology.addSink(ValidatorProcessor.DUPLICATES, s.duplicatesTopic(), new ByteArraySerializer(), new ByteArraySerializer(), "validate");
    return topology;
  }

  public static Properties config(ValidatorSettings s) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, s.applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.STATE_DIR_CONFIG, s.stateDir());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    p.put(StreamsConfig.producerPrefix("compression.type"), "lz4");
    // Leave the consumer group on close: a restarted validator then rebalances at once instead of waiting for
    // the old member's session timeout (45 s) -- Kafka Streams does not leave by default.
    p.put(StreamsConfig.consumerPrefix("internal.leave.group.on.close"), true);
    return p;
  }
}
