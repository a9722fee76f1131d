package io.lambdastack.speed.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdastack.speed.testing.LocalSpark;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** The per-batch outputs' union, as the speed layer builds it: parts on one partitioner, each losing it in a map. */
class IndexCoalescerTest {
  static JavaSparkContext spark;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start("index-coalescer-test");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static JavaRDD<String> part(String name, HashPartitioner partitioner) {
    List<Tuple2<Integer, String>> keys = IntStream.range(0, 10).mapToObj(i -> new Tuple2<>(i, name)).toList();
    // mapPartitions without preserving the partitioner, as mapWithState's mapped values and map() do
    return spark.parallelizePairs(keys).partitionBy(partitioner)
        .mapPartitionsWithIndex((index, it) -> {
          List<String> out = new java.util.ArrayList<>();
          it.forEachRemaining(p -> out.add(p._2() + p._1() + "@" + index));
          return out.iterator();
        }, false);
  }

  @Test
  void partitionIOfEveryPartGoesToTaskI() {
    HashPartitioner two = new HashPartitioner(2);
    JavaRDD<String> union = part("b", two).union(part("r", two)).union(part("l", two));
    assertThat(union.getNumPartitions()).isEqualTo(6);

    JavaRDD<String> coalesced = IndexCoalescer.byIndex(union, 2);
    List<List<String>> tasks = coalesced.glom().collect();
    assertThat(tasks).hasSize(2);
    for (int task = 0; task < 2; task++) {
      String suffix = "@" + task;
      assertThat(tasks.get(task)).allMatch(s -> s.endsWith(suffix)).hasSize(15)
          .anyMatch(s -> s.startsWith("b")).anyMatch(s -> s.startsWith("r")).anyMatch(s -> s.startsWith("l"));
    }
    assertThat(coalesced.collect()).containsExactlyInAnyOrderElementsOf(union.collect());
  }

  @Test
  void fewPartitionsStayAsTheyAre() {
    JavaRDD<String> one = part("b", new HashPartitioner(2));
    assertThat(IndexCoalescer.byIndex(one, 2)).isSameAs(one);
  }
}
