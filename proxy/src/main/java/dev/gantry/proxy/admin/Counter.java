package dev.gantry.proxy.admin;

import java.util.concurrent.atomic.LongAdder;

/** A monotonically increasing count; contended increments from several event loops do not serialise. */
public final class Counter implements Metric {

  private final LongAdder value = new LongAdder();

  public void increment() {
    value.increment();
  }

  public void add(long n) {
    value.add(n);
  }

  public long get() {
    return value.sum();
  }

  @Override
  public void writeSamples(StringBuilder out, String name, String labels) {
    out.append(name).append(labels).append(' ').append(value.sum()).append('\n');
  }
}
