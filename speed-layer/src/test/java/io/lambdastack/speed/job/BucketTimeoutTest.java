package io.lambdastack.speed.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdastack.speed.state.BucketStateFunction;
import io.lambdastack.view.definition.ViewFile;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BucketTimeoutTest {
  @Test
  void theTimeoutIsTheLongestBucketPlusLatenessOfTheBucketViews() {
    var catalog = ViewFile.parse("v", """
        views:
          - {name: a, source: t, key: k, bucket: 10s, lateness: 30s, measures: [count]}
          - {name: b, source: t, key: k, bucket: 1m, lateness: 2m, measures: [count]}
          - {name: c, kind: running, source: t, key: k, measures: [count]}
        """);
    assertThat(BucketStateFunction.timeout(catalog)).isEqualTo(Duration.ofMinutes(3));
  }
}
