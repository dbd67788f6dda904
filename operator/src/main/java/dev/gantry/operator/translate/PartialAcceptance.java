package dev.gantry.operator.translate;

import dev.gantry.model.Backend;
import dev.gantry.model.Listener;
import dev.gantry.model.LoadBalancer;
import dev.gantry.model.LoadBalancerSpec;
import dev.gantry.model.LoadBalancerValidator;
import dev.gantry.model.Problem;
import dev.gantry.model.Route;
import dev.gantry.model.ValidationMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps what is valid of a load balancer: a listener, route or backend with a problem is left out (and named
 * in a finding) while the rest is served. Leaving one out can break another (a route naming a backend that
 * was left out), so the check repeats until nothing changes. A problem outside those lists (metadata,
 * timeouts, no listener left) leaves nothing to serve.
 */
public final class PartialAcceptance {

  /** What can be served, or null when nothing can, and why parts were left out. */
  public record Result(LoadBalancer servable, List<Finding> findings) {
  }

  private static final Pattern ELEMENT = Pattern.compile("^spec\\.(listeners|routes|backends)\\[(\\d+)\\]\\.?(.*)$");
  private static final int MAX_ROUNDS = 16;

  private PartialAcceptance() {
  }

  public static Result prune(LoadBalancer lb) {
    List<Finding> findings = new ArrayList<>();
    LoadBalancer current = lb;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      List<Problem> problems = LoadBalancerValidator.validate(current, ValidationMode.CLUSTER);
      if (problems.isEmpty()) {
        return new Result(current, findings);
      }
      Set<String> listeners = new HashSet<>();
      Set<String> routes = new HashSet<>();
      Set<String> backends = new HashSet<>();
      boolean fatal = false;
      for (Problem p : problems) {
        Matcher m = ELEMENT.matcher(p.path());
        if (!m.matches()) {
          fatal = true;
          findings.add(new Finding(Finding.INVALID, p.toString()));
          continue;
        }
        int index = Integer.parseInt(m.group(2));
        String what = switch (m.group(1)) {
          case "listeners" -> describe("listener", listeners, index, current.spec().listeners(), Listener::name);
          case "routes" -> describe("route", routes, index, current.spec().routes(), Route::name);
          default -> describe("backend", backends, index, current.spec().backends(), Backend::name);
        };
        String field = m.group(3).isEmpty() ? "" : m.group(3) + ": ";
        findings.add(new Finding(Finding.INVALID, what + " is not served: " + field + p.message()));
      }
      if (fatal) {
        return new Result(null, findings);
      }
      current = without(current, listeners, routes, backends);
    }
    return new Result(null, findings);
  }

  /** Names the element (by name, or by its place when it has none) and marks its index to be left out. */
  private static <T> String describe(String kind, Set<String> drop, int index, List<T> items, Function<T, String> name) {
    drop.add(Integer.toString(index));
    T item = items == null || index >= items.size() ? null : items.get(index);
    String n = item == null ? null : name.apply(item);
    return n == null ? kind + " #" + (index + 1) : kind + " \"" + n + "\"";
  }

  private static LoadBalancer without(LoadBalancer lb, Set<String> listeners, Set<String> routes, Set<String> backends) {
    LoadBalancerSpec s = lb.spec();
    LoadBalancerSpec spec = new LoadBalancerSpec(s.timeouts(), keep(s.listeners(), listeners), keep(s.routes(), routes),
        keep(s.backends(), backends), s.deployment(), s.service(), s.infrastructure());
    return new LoadBalancer(lb.apiVersion(), lb.kind(), lb.metadata(), spec, lb.status());
  }

  private static <T> List<T> keep(List<T> items, Set<String> dropped) {
    if (items == null) {
      return null;
    }
    List<T> kept = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (!dropped.contains(Integer.toString(i))) {
        kept.add(items.get(i));
      }
    }
    return kept;
  }
}
