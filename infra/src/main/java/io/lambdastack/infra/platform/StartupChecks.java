package io.lambdastack.infra.platform;

import io.lambdastack.view.config.ConfigException;
import io.lambdastack.view.config.ConfigField;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks made before anything starts, each failing in one line that names the problem and the fix. */
public final class StartupChecks {
  private StartupChecks() {}

  public static void requirePortFree(int port, ConfigField<Integer> field) {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new ConfigException("port " + port + " (" + field.key() + ") is already in use: stop the process using it "
          + "or choose another port with " + field.envName() + "=PORT");
    }
  }

  public static Path requireWritableDir(String dir, ConfigField<String> field) {
    Path path = Path.of(dir).toAbsolutePath();
    try {
      Files.createDirectories(path);
      Path probe = Files.createTempFile(path, ".write-check", "");
      Files.delete(probe);
      return path;
    } catch (IOException | SecurityException e) {
      throw new ConfigException("state directory " + path + " is not writable (" + e.getClass().getSimpleName()
          + "): choose another with --state-dir or " + field.envName());
    }
  }

  /** A free port on 127.0.0.1, for tests and for settings that say 0. */
  public static int freePort() {
    return freePorts(1)[0];
  }

  /**
   * {@code n} different free ports on 127.0.0.1. Why all at once: a port is free once its probe socket is closed, so
   * probing one port at a time can give the same port twice (seen in CI: the broker's two listeners on one port, and
   * the embedded platform did not start). Holding every probe open until all are bound makes them differ.
   */
  public static int[] freePorts(int n) {
    ServerSocket[] sockets = new ServerSocket[n];
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        sockets[i] = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    } finally {
      for (ServerSocket socket : sockets) {
        closeQuietly(socket);
      }
    }
  }

  private static void closeQuietly(ServerSocket socket) {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // a probe socket: nothing was served on it
      }
    }
  }
}
