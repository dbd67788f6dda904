package dev.gantry.proxy.admin;

/** One labelled time series (or, for a histogram, one labelled set of series). */
public interface Metric {

  /** Appends the sample lines of this series; {@code labels} is the rendered label set, possibly empty. */
  void writeSamples(StringBuilder out, String name, String labels);
}
