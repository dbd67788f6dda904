package dev.gantry.model;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Header matches and header changes of a route. Header names ignore case everywhere. */
final class HeaderRules {

  /**
   * Headers the proxy owns: hop-by-hop ones it strips and rewrites per connection, and Content-Length,
   * which frames the body. Setting or removing them would break the connection, not change the request.
   */
  private static final Set<String> MANAGED = Set.of("connection", "keep-alive", "proxy-connection",
      "transfer-encoding", "te", "trailer", "upgrade", "content-length");
  private static final String MANAGED_REASON = "the proxy manages hop-by-hop and framing headers";
  private static final String NAME_EXPECTED = "expected a header name such as X-Canary (no spaces or separators), got ";

  private HeaderRules() {
  }

  static void matches(String path, List<HeaderMatch> headers, Problems problems) {
    for (int i = 0; i < headers.size(); i++) {
      String at = FieldPath.index(path, i);
      HeaderMatch h = headers.get(i);
      if (!problems.entry(at, h, "a header match")) {
        continue;
      }
      if (problems.required(at + ".name", h.name()) && !Names.isHeaderName(h.name())) {
        problems.add(at + ".name", NAME_EXPECTED + Problems.quote(h.name()));
      }
      value(at + ".value", h.value(), problems);
    }
    problems.unique(path, headers, HeaderMatch::name, "name", "header", HeaderRules::lower);
  }

  /**
   * Host may be set on requests: that is how a route rewrites the Host header (HAProxy's
   * {@code http-request set-header Host}). It may not be removed from requests, which HTTP/1.1 requires
   * to carry one. On responses Host means nothing but does no harm, so it is allowed.
   */
  static void modifier(String path, HeaderModifier modifier, boolean request, Problems problems) {
    if (modifier == null) {
      return;
    }
    edits(path + ".set", "set", modifier.setOrEmpty(), problems);
    edits(path + ".add", "add", modifier.addOrEmpty(), problems);
    List<String> remove = modifier.removeOrEmpty();
    for (int i = 0; i < remove.size(); i++) {
      String at = FieldPath.index(path + ".remove", i);
      String name = remove.get(i);
      if (!problems.entry(at, name, "a header name")) {
        continue;
      }
      if (!Names.isHeaderName(name)) {
        problems.add(at, NAME_EXPECTED + Problems.quote(name));
      } else if (MANAGED.contains(lower(name))) {
        problems.add(at, "cannot remove " + Problems.quote(name) + ": " + MANAGED_REASON);
      } else if (request && lower(name).equals("host")) {
        problems.add(at, "cannot remove \"Host\": every HTTP/1.1 request needs one");
      }
    }
    problems.unique(path + ".remove", remove, s -> s, "", "header", HeaderRules::lower);
  }

  private static void edits(String path, String verb, Map<String, String> headers, Problems problems) {
    Map<String, String> seen = new HashMap<>();
    headers.forEach((name, value) -> {
      String at = FieldPath.field(path, name);
      if (!Names.isHeaderName(name)) {
        problems.add(at, NAME_EXPECTED + Problems.quote(name));
      } else if (MANAGED.contains(lower(name))) {
        problems.add(at, "cannot " + verb + " " + Problems.quote(name) + ": " + MANAGED_REASON);
      }
      String first = seen.putIfAbsent(lower(name), name);
      if (first != null) {
        problems.add(at, "duplicate header " + Problems.quote(name) + ", also " + Problems.quote(first)
            + " (header names ignore case)");
      }
      value(at, value, problems);
    });
  }

  private static void value(String path, String value, Problems problems) {
    // CR or LF would split the header in two: request smuggling, not a value
    if (problems.required(path, value) && value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
      problems.add(path, "expected a value without CR, LF or other control characters, got " + Problems.quote(value));
    }
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
