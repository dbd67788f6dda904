package dev.gantry.proxy.admin;

import java.util.function.LongSupplier;

/** A gauge or counter whose value is read from live state when scraped. */
public final class FunctionMetric implements Metric {

  private volatile LongSupplier source = () -> 0;

  /** Points the series at {@code supplier}; the latest configuration's state wins. */
  public void readFrom(LongSupplier supplier) {
    this.source = supplier;
  }

  @Override
  public void writeSamples(StringBuilder out, String name, String labels) {
    out.append(name).append(labels).append(' ').append(source.getAsLong()).append('\n');
  }
}
