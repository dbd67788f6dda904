package dev.gantry.model;

import com.fasterxml.jackson.core.JsonStreamContext;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Field paths as users read them: {@code spec.listeners[1].port}. The parser, the binder and the validator
 * all build paths here, so that a problem's path finds its line in the {@link SourceMap}. Map keys that are
 * not plain words are quoted: {@code metadata.labels["app.kubernetes.io/name"]}.
 */
final class FieldPath {

  private FieldPath() {
  }

  /** {@code base.name}; an empty name gives {@code base}, for rules that treat list items and fields alike. */
  static String field(String base, String name) {
    if (name.isEmpty()) {
      return base;
    }
    if (!plainKey(name)) {
      return base + "[\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }
    return base.isEmpty() ? name : base + "." + name;
  }

  /** Letters, digits, {@code _} and {@code -} only (checked per character: this runs for every field read). */
  private static boolean plainKey(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
      if (!plain) {
        return false;
      }
    }
    return true;
  }

  /** The path of a key read from a document: like {@link #field}, but an empty key is {@code base[""]}. */
  static String key(String base, String name) {
    return name.isEmpty() ? base + "[\"\"]" : field(base, name);
  }

  static String index(String base, int index) {
    return base + "[" + index + "]";
  }

  /** The enclosing path: {@code a.b[2]} for {@code a.b[2].c}, {@code a.b} for {@code a.b[2]}, "" at the top. */
  static String parent(String path) {
    if (path.endsWith("\"]")) {
      // an escaped key never contains ["  unescaped, so the last one opens it
      return path.substring(0, path.lastIndexOf("[\""));
    }
    if (path.endsWith("]")) {
      return path.substring(0, path.lastIndexOf('['));
    }
    int dot = path.lastIndexOf('.');
    return dot < 0 ? "" : path.substring(0, dot);
  }

  /** The path of the value a parser context is at; for a value that opens an object or a list, pass its parent. */
  static String of(JsonStreamContext context) {
    Deque<JsonStreamContext> chain = new ArrayDeque<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      chain.push(c);
    }
    String path = "";
    for (JsonStreamContext c : chain) {
      if (c.inArray()) {
        path = index(path, Math.max(c.getCurrentIndex(), 0));
      } else if (c.getCurrentName() != null) {
        path = key(path, c.getCurrentName());
      }
    }
    return path;
  }
}
