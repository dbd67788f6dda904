package dev.gantry.operator.crd;

import java.util.ArrayList;
import java.util.List;

/**
 * Schema paths, as {@link CrdSchema} names the places of a schema: {@code spec.routes[].requestHeaders.set.*}
 * is the values of the map {@code set} in the items of the list {@code routes}; the root is the empty path.
 */
final class SchemaPaths {

  private SchemaPaths() {
  }

  static String child(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  /** Field names, {@code []} and {@code *}, in order. */
  static List<String> segments(String path) {
    List<String> segments = new ArrayList<>();
    if (path.isEmpty()) {
      return segments;
    }
    for (String part : path.split("\\.")) {
      String field = part;
      int lists = 0;
      while (field.endsWith("[]")) {
        field = field.substring(0, field.length() - 2);
        lists++;
      }
      segments.add(field);
      for (int i = 0; i < lists; i++) {
        segments.add("[]");
      }
    }
    return segments;
  }
}
