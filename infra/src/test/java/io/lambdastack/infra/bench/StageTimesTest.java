package io.lambdastack.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** The benchmark's split of a batch's executor time by stage, on local Spark: each stage's CPU and run time, by call site. */
class StageTimesTest {
  @Test
  void groupsCompletedStagesByCallSiteAndCountsOnlyThoseAfterTheGivenTime() throws Exception {
    StageTimes times = new StageTimes();
    try (JavaSparkContext spark = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("stage-times-test")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1"))) {
      spark.sc().addSparkListener(times);
      long checksum = spark.parallelize(IntStream.range(0, 200_000).boxed().toList(), 2).map(StageTimesTest::busy).reduce(Long::sum);
      assertThat(checksum).isPositive();
      Thread.sleep(200); // listeners are called on Spark's listener bus thread
      long since = System.currentTimeMillis();
      for (int i = 0; i < 2; i++) {
        assertThat(spark.parallelize(List.of(1, 2, 3), 2).map(StageTimesTest::busy).collect()).hasSize(3);
      }
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
          .until(() -> times.perBatch(since, 2).stream().anyMatch(p -> p.site().startsWith("collect at StageTimesTest")));
      List<StageTimes.PerBatch> afterwards = times.perBatch(since, 2);
      assertThat(afterwards).singleElement().satisfies(p -> assertThat(p.site()).startsWith("collect at StageTimesTest.java:"));
      List<StageTimes.PerBatch> all = times.perBatch(0, 1);
      assertThat(all).extracting(p -> p.site().replaceAll(":\\d+$", "")).containsExactly("reduce at StageTimesTest.java",
          "collect at StageTimesTest.java"); // the busier stage first
      assertThat(all.get(0).cpuMs()).isPositive();
      assertThat(all.get(0).runMs()).isGreaterThanOrEqualTo(all.get(0).cpuMs() * 0.5);
      assertThat(StageTimes.summary(all, 1)).startsWith("reduce at StageTimesTest.java:").contains(" ms CPU (tasks ran ")
          .doesNotContain("collect");
    }
  }

  private static long busy(int i) {
    long x = i;
    for (int k = 0; k < 2_000; k++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
    }
    return (x & 0xFFFF) + 1;
  }
}
