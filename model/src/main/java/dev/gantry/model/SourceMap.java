package dev.gantry.model;

import java.util.Collections;
import java.util.Map;

/**
 * The line of every field of one document, by {@link FieldPath}. Lines are absolute in the source, so a
 * document after a {@code ---} separator keeps the numbers users see in their editor.
 */
record SourceMap(int startLine, Map<String, Integer> lines) {

  /**
   * Takes {@code lines} as it is, read-only: the scanner hands over a map it no longer touches, and copying
   * one entry per field of a large document cost more than building it.
   */
  SourceMap {
    lines = Collections.unmodifiableMap(lines);
  }

  /**
   * The line of {@code path}, or of its nearest enclosing field that was written: a missing
   * {@code spec.backends} is reported on the line of {@code spec}.
   */
  int lineOf(String path) {
    for (String p = path; ; p = FieldPath.parent(p)) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
      if (p.isEmpty()) {
        return startLine;
      }
    }
  }
}
