package io.lambdastack.batch.recompute;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The platform version and build time, as Maven recorded them in {@code build.properties}. */
final class CodeVersion {
  private CodeVersion() {}

  static String get() {
    Properties p = new Properties();
    try (InputStream in = CodeVersion.class.getResourceAsStream("/io/lambdastack/batch/build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return "lambdastack " + p.getProperty("version", "unknown") + " (built " + p.getProperty("built", "unknown") + ")";
  }
}
