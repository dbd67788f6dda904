package dev.gantry.model;

import java.util.Objects;

/**
 * One problem inside one document: the field it is about, as a path from the document root such as
 * {@code spec.listeners[1].port} (empty for the document itself), and a short lowercase message.
 */
public record Problem(String path, String message) {

  public Problem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
