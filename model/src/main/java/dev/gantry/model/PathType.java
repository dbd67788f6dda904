package dev.gantry.model;

/**
 * How a path is matched. Constant names are the API's spelling, so YAML, JSON and the CRD agree.
 */
public enum PathType {
  /** The whole path, exactly. */
  Exact,
  /** Whole leading path segments: {@code /a} matches {@code /a} and {@code /a/b}, not {@code /ab}. */
  Prefix,
  /** A Java regular expression that must match the whole path. */
  Regex
}
