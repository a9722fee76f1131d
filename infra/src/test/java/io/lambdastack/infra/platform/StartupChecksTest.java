package io.lambdastack.infra.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import org.junit.jupiter.api.RepeatedTest;

/** Free ports asked for together differ, and each can be bound on 127.0.0.1 afterwards. */
class StartupChecksTest {
  @RepeatedTest(20)
  void portsAskedForTogetherDifferAndAreFree() throws IOException {
    int[] ports = StartupChecks.freePorts(4);
    assertThat(Arrays.stream(ports).distinct().count()).as(Arrays.toString(ports)).isEqualTo(4);
    for (int port : ports) {
      assertThat(port).isPositive();
      try (ServerSocket bound = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
        assertThat(bound.getLocalPort()).isEqualTo(port);
      }
    }
  }

  /**
   * Probing one port at a time (each probe closed before the next) gave a port twice in every one of 20 tries of 500
   * ports on this machine: the kernel hands a just-closed port out again. Asked for together, all 500 differ.
   */
  @org.junit.jupiter.api.Test
  void fiveHundredPortsAskedForTogetherAllDiffer() {
    int[] ports = StartupChecks.freePorts(500);
    assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(500);
  }
}
