package io.lambdastack.drift.detector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PageHinkleyTest {
  @Test
  void quietOnAStationaryStreamAndDetectsAMeanShiftSoonAfterItHappens() {
    Random random = new Random(1);
    PageHinkley ph = new PageHinkley(0.5, 50, 30);
    for (int i = 0; i < 5000; i++) {
      assertThat(ph.add(20 + random.nextGaussian())).as("false alarm at %d", i).isFalse();
    }
    int detectedAfter = -1;
    for (int i = 0; i < 1000 && detectedAfter < 0; i++) {
      if (ph.add(23 + random.nextGaussian())) { // a sensor's calibration shifts by +3
        detectedAfter = i;
      }
    }
    assertThat(detectedAfter).isBetween(0, 40);
  }

  @Test
  void detectsDownwardShiftsToo() {
    Random random = new Random(2);
    PageHinkley ph = new PageHinkley(0.5, 50, 30);
    for (int i = 0; i < 1000; i++) {
      ph.add(10 + random.nextGaussian());
    }
    boolean detected = false;
    for (int i = 0; i < 100 && !detected; i++) {
      detected = ph.add(6 + random.nextGaussian());
    }
    assertThat(detected).isTrue();
  }
}
