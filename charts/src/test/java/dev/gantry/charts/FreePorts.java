package dev.gantry.charts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * Ports free on this machine. The operator pods the tests run listen on this machine's ports, which other
 * programs may hold (the chart's default health port, 8080, is a popular one).
 */
final class FreePorts {

  private FreePorts() {
  }

  static int any() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
