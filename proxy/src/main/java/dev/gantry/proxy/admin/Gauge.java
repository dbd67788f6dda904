package dev.gantry.proxy.admin;

import java.util.concurrent.atomic.LongAdder;

/** A value that goes up and down, such as open connections. */
public final class Gauge implements Metric {

  private final LongAdder value = new LongAdder();

  public void increment() {
    value.increment();
  }

  public void decrement() {
    value.decrement();
  }

  public void set(long v) {
    value.reset();
    value.add(v);
  }

  public long get() {
    return value.sum();
  }

  @Override
  public void writeSamples(StringBuilder out, String name, String labels) {
    out.append(name).append(labels).append(' ').append(value.sum()).append('\n');
  }
}
