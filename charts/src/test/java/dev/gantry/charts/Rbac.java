package dev.gantry.charts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** RBAC rules flattened to {@code group/resource -> verbs}, and what the operator must be granted. */
final class Rbac {

  private static final Set<String> READ = Set.of("get", "list", "watch");
  private static final Set<String> MANAGE = Set.of("get", "list", "watch", "create", "update", "patch", "delete");
  private static final Set<String> WRITE_STATUS = Set.of("update", "patch");

  /**
   * What the operator does in a watched namespace: reconciles LoadBalancers (and creates them for Services
   * of its loadBalancerClass), manages each fleet's objects, reads what backends reference, asks the proxy
   * pods, records events, and serves Ingresses of its class.
   */
  static final Map<String, Set<String>> OPERATOR = Map.ofEntries(
      Map.entry("gantry.dev/loadbalancers", MANAGE),
      Map.entry("gantry.dev/loadbalancers/status", WRITE_STATUS),
      Map.entry("core/configmaps", MANAGE),
      Map.entry("core/secrets", MANAGE),
      Map.entry("core/services", MANAGE),
      Map.entry("core/services/status", WRITE_STATUS),
      Map.entry("core/serviceaccounts", MANAGE),
      Map.entry("core/pods", READ),
      Map.entry("core/events", Set.of("create")),
      Map.entry("discovery.k8s.io/endpointslices", READ),
      Map.entry("apps/deployments", MANAGE),
      Map.entry("rbac.authorization.k8s.io/roles", MANAGE),
      Map.entry("rbac.authorization.k8s.io/rolebindings", MANAGE),
      Map.entry("policy/poddisruptionbudgets", MANAGE),
      Map.entry("networking.k8s.io/ingresses", READ),
      Map.entry("networking.k8s.io/ingresses/status", WRITE_STATUS));

  private Rbac() {
  }

  /** Every (group, resource) the role's rules name, with the union of their verbs. */
  static Map<String, Set<String>> grants(JsonNode role) {
    Map<String, Set<String>> grants = new TreeMap<>();
    for (JsonNode rule : role.path("rules")) {
      for (String group : Rendered.strings(rule.path("apiGroups"))) {
        for (String resource : Rendered.strings(rule.path("resources"))) {
          grants.computeIfAbsent((group.isEmpty() ? "core" : group) + "/" + resource, k -> new TreeSet<>())
              .addAll(Rendered.strings(rule.path("verbs")));
        }
      }
    }
    return grants;
  }

  static List<String> subjects(JsonNode binding) {
    return java.util.stream.StreamSupport.stream(binding.path("subjects").spliterator(), false)
        .map(s -> s.path("kind").asText() + " " + s.path("namespace").asText() + "/" + s.path("name").asText())
        .toList();
  }
}
