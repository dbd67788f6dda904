package dev.gantry.proxy.config;

import java.util.List;

/**
 * A configuration that passed validation but cannot be served, such as a certificate file that cannot be
 * read or a key that does not match its certificate. Each problem names the load balancer, the listener and
 * the file; the configuration being served stays.
 */
public final class ConfigRejectedException extends RuntimeException {

  private final List<String> problems;

  public ConfigRejectedException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
