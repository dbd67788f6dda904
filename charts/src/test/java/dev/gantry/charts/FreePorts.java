package dev.gantry.charts;

import dev.gantry.proxy.testing.Ports;

/**
 * Ports free on this machine. The operator pods the tests run listen on this machine's ports, which other
 * programs may hold (the chart's default health port, 8080, is a popular one).
 */
final class FreePorts {

  private FreePorts() {
  }

  static int any() {
    return Ports.free();
  }
}
