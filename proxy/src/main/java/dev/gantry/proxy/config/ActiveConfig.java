package dev.gantry.proxy.config;

/** The configuration being served: replaced whole with one volatile write, read once per request. */
public final class ActiveConfig {

  private volatile CompiledConfig current = CompiledConfig.EMPTY;

  public CompiledConfig current() {
    return current;
  }

  public void publish(CompiledConfig next) {
    current = next;
  }
}
