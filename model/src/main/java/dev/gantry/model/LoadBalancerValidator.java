package dev.gantry.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks what a {@code LoadBalancer} means, beyond what binding checks: names, ranges, references between
 * listeners, routes and backends, and what needs a cluster. Every problem is reported, none stops the
 * others. The rules of each section live in {@link ListenerRules}, {@link RouteRules} and
 * {@link BackendRules}.
 */
public final class LoadBalancerValidator {

  private static final String[] TIMEOUT_FIELDS = {"connect", "client", "server", "httpRequest", "tunnel"};

  /** A problem of one document among several: {@code document} is its index in the list given. */
  public record DocumentProblem(int document, Problem problem) {
  }

  private LoadBalancerValidator() {
  }

  /** Every problem of one load balancer, in document order; an empty list when it is valid. */
  public static List<Problem> validate(LoadBalancer lb, ValidationMode mode) {
    Objects.requireNonNull(lb, "lb");
    Objects.requireNonNull(mode, "mode");
    Problems problems = new Problems();
    metadata(lb.metadata(), problems);
    LoadBalancerSpec spec = lb.spec();
    if (problems.required("spec", spec)) {
      SpecIndex index = SpecIndex.of(spec);
      timeouts(spec.timeouts(), problems);
      ListenerRules.check(spec.listeners(), index, mode, problems);
      RouteRules.check(spec.routes(), index, problems);
      BackendRules.check(spec.backends(), mode, problems);
      if (mode == ValidationMode.CLUSTER && spec.deployment() != null) {
        problems.atLeast("spec.deployment.replicas", spec.deployment().replicas(), 0);
      }
      if (mode == ValidationMode.CLUSTER && spec.service() != null) {
        ServiceRules.check("spec.service", spec.service(), problems);
      }
      if (mode == ValidationMode.CLUSTER && spec.infrastructure() != null) {
        InfrastructureRules.check("spec.infrastructure", spec.infrastructure(), problems);
      }
    }
    return problems.list();
  }

  /**
   * Checks load balancers that are loaded together: each {@code namespace/name} once and, standalone,
   * where they share one process, each port used by one load balancer only. The later document gets the
   * problem. In a cluster every load balancer has its own proxy fleet, so ports may repeat.
   */
  public static List<DocumentProblem> validateTogether(List<LoadBalancer> lbs, ValidationMode mode) {
    List<DocumentProblem> problems = new ArrayList<>();
    Map<String, Integer> ids = new HashMap<>();
    Map<Integer, String> portOwners = new HashMap<>();
    for (int i = 0; i < lbs.size(); i++) {
      LoadBalancer lb = lbs.get(i);
      if (lb == null || lb.metadata() == null || lb.metadata().name() == null) {
        continue;
      }
      if (ids.putIfAbsent(lb.id(), i) != null) {
        problems.add(new DocumentProblem(i,
            new Problem("metadata.name", "duplicate load balancer " + Problems.quote(lb.id()))));
      }
      if (mode == ValidationMode.STANDALONE && lb.spec() != null) {
        ports(i, lb, portOwners, problems);
      }
    }
    return problems;
  }

  private static void ports(int document, LoadBalancer lb, Map<Integer, String> owners,
      List<DocumentProblem> problems) {
    List<Listener> listeners = lb.spec().listenersOrEmpty();
    Map<Integer, String> mine = new HashMap<>();
    for (int j = 0; j < listeners.size(); j++) {
      Listener l = listeners.get(j);
      if (l == null || l.port() == null) {
        continue;
      }
      String owner = owners.get(l.port());
      if (owner != null) {
        problems.add(new DocumentProblem(document, new Problem("spec.listeners[" + j + "].port",
            "port " + l.port() + " is already used by load balancer " + Problems.quote(owner))));
      }
      mine.putIfAbsent(l.port(), lb.id());
    }
    mine.forEach(owners::putIfAbsent);
  }

  private static void metadata(Metadata metadata, Problems problems) {
    if (!problems.required("metadata", metadata)) {
      return;
    }
    String name = metadata.name();
    if (problems.required("metadata.name", name) && !Names.isDnsSubdomain(name)) {
      problems.add("metadata.name", "expected a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', "
          + "at most 253 characters), got " + Problems.quote(name));
    }
    if (metadata.namespace() != null) {
      problems.label("metadata.namespace", metadata.namespace());
    }
  }

  private static void timeouts(Timeouts timeouts, Problems problems) {
    if (timeouts == null) {
      return;
    }
    String[] values = {timeouts.connect(), timeouts.client(), timeouts.server(), timeouts.httpRequest(),
        timeouts.tunnel()};
    for (int i = 0; i < values.length; i++) {
      problems.duration("spec.timeouts." + TIMEOUT_FIELDS[i], values[i]);
    }
  }
}
