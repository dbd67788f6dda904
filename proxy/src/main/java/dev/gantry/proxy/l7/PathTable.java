package dev.gantry.proxy.l7;

import dev.gantry.proxy.config.RouteRuntime;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The routes of one host, by path: a character trie holding {@code Exact} and {@code Prefix} paths, then
 * regular expressions in declaration order, then routes that match any path. Lookup walks the request path
 * once and allocates nothing; a longer prefix is tried before a shorter one, and an exact match first.
 */
final class PathTable {

  /**
   * Among routes on the same path, as Gateway API orders them: a method condition first, then more header
   * conditions, then more query parameter conditions, then the earlier route.
   */
  static final Comparator<RouteMatch> PRECEDENCE = Comparator
      .comparingInt((RouteMatch m) -> m.route().hasMethodCondition() ? 0 : 1)
      .thenComparingInt(m -> -m.route().headerConditionCount())
      .thenComparingInt(m -> -m.route().queryConditionCount())
      .thenComparingInt(m -> m.route().order());

  private record RegexMatch(Pattern pattern, RouteMatch match) {
  }

  private static final class Node {
    private static final char[] NO_KEYS = new char[0];
    private static final Node[] NO_CHILDREN = new Node[0];

    char[] keys = NO_KEYS;
    Node[] children = NO_CHILDREN;
    RouteMatch[] exact;
    RouteMatch[] prefix;

    Node child(char c) {
      char[] k = keys;
      int lo = 0;
      int hi = k.length - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        char m = k[mid];
        if (m < c) {
          lo = mid + 1;
        } else if (m > c) {
          hi = mid - 1;
        } else {
          return children[mid];
        }
      }
      return null;
    }
  }

  private final Node root;
  private final RegexMatch[] regexes;
  private final RouteMatch[] anyPath;

  private PathTable(Node root, RegexMatch[] regexes, RouteMatch[] anyPath) {
    this.root = root;
    this.regexes = regexes;
    this.anyPath = anyPath;
  }

  /** The best route for the path {@code uri[0, pathEnd)}, or null. */
  RouteMatch match(String uri, int pathEnd, HttpMethod method, HttpHeaders headers) {
    RouteMatch m = walk(root, uri, 0, pathEnd, method, headers);
    if (m != null) {
      return m;
    }
    if (regexes.length > 0) {
      String path = pathEnd == uri.length() ? uri : uri.substring(0, pathEnd);
      for (RegexMatch r : regexes) {
        if (r.match().route().accepts(method, headers, uri, pathEnd) && r.pattern().matcher(path).matches()) {
          return r.match();
        }
      }
    }
    return first(anyPath, method, headers, uri, pathEnd);
  }

  /**
   * Depth first, so deeper (longer) prefixes are tried before shallower ones. A prefix matches on whole
   * segments: where the path ends or a '/' follows. Depth is bounded by the longest configured path.
   */
  private static RouteMatch walk(Node node, String s, int i, int end, HttpMethod method, HttpHeaders headers) {
    if (i == end) {
      RouteMatch m = first(node.exact, method, headers, s, end);
      return m != null ? m : first(node.prefix, method, headers, s, end);
    }
    Node child = node.child(s.charAt(i));
    if (child != null) {
      RouteMatch m = walk(child, s, i + 1, end, method, headers);
      if (m != null) {
        return m;
      }
    }
    return s.charAt(i) == '/' ? first(node.prefix, method, headers, s, end) : null;
  }

  private static RouteMatch first(RouteMatch[] candidates, HttpMethod method, HttpHeaders headers, String uri,
      int pathEnd) {
    if (candidates != null) {
      for (RouteMatch m : candidates) {
        if (m.route().accepts(method, headers, uri, pathEnd)) {
          return m;
        }
      }
    }
    return null;
  }

  /** Collects a host's routes, then freezes them into a table. */
  static final class Builder {
    private final BuilderNode root = new BuilderNode();
    private final List<RegexMatch> regexes = new ArrayList<>();
    private final List<RouteMatch> anyPath = new ArrayList<>();

    private static final class BuilderNode {
      final TreeMap<Character, BuilderNode> children = new TreeMap<>();
      final List<RouteMatch> exact = new ArrayList<>();
      final List<RouteMatch> prefix = new ArrayList<>();
    }

    void addExact(String path, RouteRuntime route) {
      node(path).exact.add(new RouteMatch(route, path.length()));
    }

    /** {@code /a/} and {@code /a} are the same prefix; {@code /} matches every path. */
    void addPrefix(String path, RouteRuntime route) {
      String p = path;
      while (p.endsWith("/")) {
        p = p.substring(0, p.length() - 1);
      }
      node(p).prefix.add(new RouteMatch(route, p.length()));
    }

    void addRegex(Pattern pattern, RouteRuntime route) {
      regexes.add(new RegexMatch(pattern, new RouteMatch(route, 0)));
    }

    void addAnyPath(RouteRuntime route) {
      anyPath.add(new RouteMatch(route, 0));
    }

    private BuilderNode node(String path) {
      BuilderNode n = root;
      for (int i = 0; i < path.length(); i++) {
        n = n.children.computeIfAbsent(path.charAt(i), c -> new BuilderNode());
      }
      return n;
    }

    PathTable build() {
      List<RegexMatch> sortedRegexes = new ArrayList<>(regexes);
      sortedRegexes.sort(Comparator.comparingInt(r -> r.match().route().order()));
      return new PathTable(freeze(root), sortedRegexes.toArray(new RegexMatch[0]), sorted(anyPath));
    }

    private static Node freeze(BuilderNode b) {
      Node n = new Node();
      n.exact = b.exact.isEmpty() ? null : sorted(b.exact);
      n.prefix = b.prefix.isEmpty() ? null : sorted(b.prefix);
      if (!b.children.isEmpty()) {
        n.keys = new char[b.children.size()];
        n.children = new Node[b.children.size()];
        int i = 0;
        for (var e : b.children.entrySet()) {
          n.keys[i] = e.getKey();
          n.children[i] = freeze(e.getValue());
          i++;
        }
      }
      return n;
    }

    private static RouteMatch[] sorted(List<RouteMatch> matches) {
      List<RouteMatch> copy = new ArrayList<>(matches);
      copy.sort(PRECEDENCE);
      return copy.toArray(new RouteMatch[0]);
    }
  }
}
