package dev.gantry.proxy.admin;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** A metric name with its help text, type and label names, and one child per set of label values. */
public final class MetricFamily<T extends Metric> {

  private final String name;
  private final String help;
  private final String type;
  private final String[] labelNames;
  private final Supplier<T> factory;
  private final Map<List<String>, T> children = new ConcurrentHashMap<>();

  MetricFamily(String name, String help, String type, String[] labelNames, Supplier<T> factory) {
    this.name = name;
    this.help = help;
    this.type = type;
    this.labelNames = labelNames.clone();
    this.factory = factory;
  }

  String type() {
    return type;
  }

  /** The child for these label values, created on first use. Not for the hot path: keep the result. */
  public T labels(String... values) {
    if (values.length != labelNames.length) {
      throw new IllegalArgumentException(name + " takes labels " + Arrays.toString(labelNames)
          + ", got " + Arrays.toString(values));
    }
    return children.computeIfAbsent(List.of(values), v -> factory.get());
  }

  /** Drops the series whose label values fail {@code keep}: for things a reload removed. */
  public void retainIf(java.util.function.Predicate<List<String>> keep) {
    children.keySet().removeIf(k -> !keep.test(k));
  }

  void writeTo(StringBuilder out) {
    if (children.isEmpty()) {
      return;
    }
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    children.entrySet().stream()
        .sorted((a, b) -> String.join("\u0000", a.getKey()).compareTo(String.join("\u0000", b.getKey())))
        .forEach(e -> e.getValue().writeSamples(out, name, render(e.getKey())));
  }

  private String render(List<String> values) {
    if (values.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(labelNames[i]).append("=\"");
      escape(values.get(i), sb);
      sb.append('"');
    }
    return sb.append('}').toString();
  }

  private static void escape(String value, StringBuilder sb) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
  }
}
