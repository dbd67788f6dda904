package dev.gantry.proxy.admin;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Metric families, written in the Prometheus text format. Families and their labelled children are created
 * off the hot path (at start-up or when a configuration is compiled) and live for the whole process, so
 * counters keep counting across reloads. The hot path only touches the children it was handed.
 */
public final class MetricsRegistry {

  private final Map<String, MetricFamily<?>> families = new ConcurrentSkipListMap<>();

  public MetricFamily<Counter> counter(String name, String help, String... labelNames) {
    return register(name, help, "counter", labelNames, Counter::new);
  }

  public MetricFamily<Gauge> gauge(String name, String help, String... labelNames) {
    return register(name, help, "gauge", labelNames, Gauge::new);
  }

  /** A gauge read from live state at scrape time. */
  public MetricFamily<FunctionMetric> gaugeFunction(String name, String help, String... labelNames) {
    return register(name, help, "gauge", labelNames, FunctionMetric::new);
  }

  /** A counter read from live state at scrape time (the state only ever grows). */
  public MetricFamily<FunctionMetric> counterFunction(String name, String help, String... labelNames) {
    return register(name, help, "counter", labelNames, FunctionMetric::new);
  }

  public MetricFamily<Histogram> histogram(String name, String help, double[] bucketsSeconds,
      String... labelNames) {
    return register(name, help, "histogram", labelNames, () -> new Histogram(bucketsSeconds));
  }

  @SuppressWarnings("unchecked")
  private <T extends Metric> MetricFamily<T> register(String name, String help, String type,
      String[] labelNames, java.util.function.Supplier<T> factory) {
    MetricFamily<?> family = families.computeIfAbsent(name,
        n -> new MetricFamily<>(n, help, type, labelNames, factory));
    if (!family.type().equals(type)) {
      throw new IllegalArgumentException("metric " + name + " is already registered as a " + family.type());
    }
    return (MetricFamily<T>) family;
  }

  /** Every family in the Prometheus text exposition format, version 0.0.4. */
  public String scrape() {
    StringBuilder out = new StringBuilder(4096);
    for (MetricFamily<?> family : families.values()) {
      family.writeTo(out);
    }
    return out.toString();
  }
}
