package dev.gantry.model;

import java.util.List;

/** The rules of a route's {@code mirrors}: each names a backend that exists and copies 0 to 100 percent. */
final class MirrorRules {

  static final int MAX_MIRRORS = 16;

  private MirrorRules() {
  }

  static void mirrors(String path, List<RouteMirror> mirrors, SpecIndex index, Problems problems) {
    problems.atMost(path, mirrors, MAX_MIRRORS, "mirror");
    for (int i = 0; i < mirrors.size(); i++) {
      String at = FieldPath.index(path, i);
      RouteMirror m = mirrors.get(i);
      if (!problems.entry(at, m, "a mirror")) {
        continue;
      }
      String name = m.backend();
      if (problems.required(at + ".backend", name)) {
        if (!index.hasBackend(name)) {
          problems.add(at + ".backend", "no backend named " + Problems.quote(name));
        } else if (index.isFixedResponse(name)) {
          problems.add(at + ".backend", "backend " + Problems.quote(name)
              + " answers with a fixed response, so it has no endpoint to send copies to");
        }
      }
      Double percent = m.percent();
      if (percent != null && !(percent >= 0 && percent <= 100)) {
        problems.add(at + ".percent", "expected a percentage from 0 to 100, got " + percent);
      }
    }
  }
}
