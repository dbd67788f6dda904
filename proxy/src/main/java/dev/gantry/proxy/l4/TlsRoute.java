package dev.gantry.proxy.l4;

import dev.gantry.proxy.upstream.WeightedSequence;

/** A route of a TLS-passthrough listener: its backends, split by weight. */
public final class TlsRoute {

  private final String name;
  private final WeightedSequence<RelayTarget> targets;

  /** @param targets null when every weight is 0 */
  public TlsRoute(String name, WeightedSequence<RelayTarget> targets) {
    this.name = name;
    this.targets = targets;
  }

  public String name() {
    return name;
  }

  /** The backend for the next connection, or null when every weight is 0. */
  public RelayTarget pick() {
    return targets == null ? null : targets.next();
  }

  @Override
  public String toString() {
    return "TlsRoute(" + name + ")";
  }
}
