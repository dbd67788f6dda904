package dev.gantry.model;

import java.util.Objects;

/**
 * One problem with its location in a source file. {@link #toString()} is the compiler-like line users see:
 * {@code lb.yaml:14: spec.routes[2].backends[0].name: no backend named "forum"}, or
 * {@code source:line: message} when the problem is about the whole document or file.
 */
public record Diagnostic(String source, int line, String path, String message) {

  public Diagnostic {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  static Diagnostic of(String source, int line, Problem problem) {
    return new Diagnostic(source, line, problem.path(), problem.message());
  }

  @Override
  public String toString() {
    return source + ":" + line + ": " + (path.isEmpty() ? message : path + ": " + message);
  }
}
