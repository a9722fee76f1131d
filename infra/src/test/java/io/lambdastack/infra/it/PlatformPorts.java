package io.lambdastack.infra.it;

import io.lambdastack.infra.platform.StartupChecks;
import java.util.Map;

/** The environment that gives a launched platform four different free ports (StartupChecks.freePorts says why at once). */
final class PlatformPorts {
  private PlatformPorts() {}

  static Map<String, String> env() {
    int[] ports = StartupChecks.freePorts(4);
    return Map.of("LAMBDA_KAFKA_PORT", Integer.toString(ports[0]),
        "LAMBDA_KAFKA_CONTROLLER_PORT", Integer.toString(ports[1]),
        "LAMBDA_HDFS_PORT", Integer.toString(ports[2]),
        "LAMBDA_SERVING_PORT", Integer.toString(ports[3]));
  }
}
