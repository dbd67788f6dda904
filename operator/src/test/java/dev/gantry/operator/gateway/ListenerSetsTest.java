package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.Condition;
import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.gateway.api.GatewayResource.ListenerStatus;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.gateway.api.ListenerSetResource;
import dev.gantry.operator.gateway.api.ReferenceGrantResource;
import dev.gantry.operator.translate.ClusterRefs;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ListenerSets merged into their parent Gateway: the Gateway's {@code allowedListeners} decides which attach, their
 * listeners share the Gateway's ports and lose conflicts to listeners of higher precedence, routes attach to them
 * through a ListenerSet parentRef (never through the Gateway's), and the ListenerSet and Gateway statuses say so.
 */
class ListenerSetsTest {

  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private final List<HttpRouteResource> routes = new ArrayList<>();
  private final List<ListenerSetResource> sets = new ArrayList<>();
  private final List<ReferenceGrantResource> grants = new ArrayList<>();
  private final Map<String, Map<String, String>> labels = Map.of("apps", Map.of("team", "a"), "infra", Map.of());
  private final Map<String, ClusterRefs> refs = Map.of(
      "infra", new ClusterRefs(Map.of("web", GatewayTranslatorTest.service("web", 8080)), Map.of(), Map.of()),
      "apps", new ClusterRefs(Map.of("api", GatewayTranslatorTest.service("api", 9000)), Map.of(),
          Map.of("own", secret("own", "apps"))),
      "certs", new ClusterRefs(Map.of(), Map.of(), Map.of("shared", secret("shared", "certs"))));

  static String gateway(String allowed) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: infra, generation: 1}
        spec:
          gatewayClassName: gantry
          listeners:
          - {name: main, port: 80, protocol: HTTP, hostname: a.com, allowedRoutes: {namespaces: {from: All}}}
        """ + (allowed == null ? "" : "  allowedListeners: {namespaces: " + allowed + "}\n");
  }

  ListenerSetResource set(String namespace, String name, String created, String listeners) {
    ListenerSetResource s = Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: ListenerSet
        metadata: {name: %s, namespace: %s, generation: 3, creationTimestamp: "%s"}
        spec:
          parentRef: {name: gw, namespace: infra}
          listeners:
        """.formatted(name, namespace, created) + listeners.indent(2), ListenerSetResource.class);
    sets.add(s);
    return s;
  }

  HttpRouteResource route(String namespace, String name, String parentRefs) {
    HttpRouteResource r = Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: %s, generation: 2, uid: %s}
        spec:
          parentRefs: %s
          rules: [{backendRefs: [{name: %s, port: %d}]}]
        """.formatted(name, namespace, name, parentRefs, namespace.equals("apps") ? "api" : "web",
        namespace.equals("apps") ? 9000 : 8080), HttpRouteResource.class);
    routes.add(r);
    return r;
  }

  GatewayPlan plan(String gateway) {
    return GatewayTranslator.translate(new GatewayInputs(GatewayTranslatorTest.gateway(gateway), routes, List.of(),
        List.of(), List.of(), labels, grants, ns -> refs.getOrDefault(ns, ClusterRefs.NONE), BackendTlsPolicies.NONE,
        sets));
  }

  static ListenerSetResource.Status status(GatewayPlan plan, ListenerSetResource set, boolean programmed) {
    ListenerSets.Judged judged = plan.listenerSets().stream().filter(j -> j.set() == set).findFirst().orElseThrow();
    return ListenerSetStatuses.of(judged, plan, true, programmed, NOW);
  }

  static String condition(List<Condition> conditions, String type) {
    Condition c = conditions.stream().filter(x -> type.equals(x.type())).findFirst().orElseThrow();
    return c.status() + "/" + c.reason();
  }

  static ListenerStatus listener(ListenerSetResource.Status status, String name) {
    return status.listeners().stream().filter(l -> name.equals(l.name())).findFirst().orElseThrow();
  }

  @Test
  void withoutAllowedListenersNoListenerSetAttachesAndItsRoutesAreRefused() {
    ListenerSetResource ls = set("infra", "ls", "2026-01-01T00:00:00Z",
        "- {name: extra, port: 80, protocol: HTTP, hostname: b.com}");
    HttpRouteResource r = route("infra", "r", "[{kind: ListenerSet, name: ls}]");

    GatewayPlan plan = plan(gateway(null));

    ListenerSetResource.Status s = status(plan, ls, true);
    assertThat(condition(s.conditions(), "Accepted")).isEqualTo("False/NotAllowed");
    assertThat(condition(s.conditions(), "Programmed")).isEqualTo("False/NotAllowed");
    assertThat(plan.listeners()).extracting(CheckedListener::name).containsExactly("main");
    assertThat(GatewayTranslatorTest.only(plan, r).acceptedReason()).isEqualTo("NotAllowedByListeners");
    assertThat(ListenerSetStatuses.attachedCount(GatewayTranslatorTest.gateway(gateway(null)), plan)).isNull();
    assertThat(plan(gateway("{from: None}")).listenerSets().get(0).allowed()).isFalse();
  }

  @Test
  void conflictsAreLostByTheListenerOfLowerPrecedenceOnly() {
    ListenerSetResource older = set("infra", "zz-older", "2026-01-01T00:00:00Z", """
        - {name: x, port: 80, protocol: HTTP, hostname: b.com}
        - {name: main, port: 80, protocol: TCP}
        - {name: dup, port: 80, protocol: HTTP, hostname: a.com}
        """);
    ListenerSetResource newer = set("infra", "aa-newer", "2026-01-02T00:00:00Z",
        "- {name: x, port: 80, protocol: HTTP, hostname: b.com}");
    String gw = gateway("{from: Same}");

    GatewayPlan plan = plan(gw);

    ListenerSetResource.Status first = status(plan, older, true);
    assertThat(condition(first.conditions(), "Accepted")).isEqualTo("True/ListenersNotValid");
    assertThat(condition(first.conditions(), "Programmed")).isEqualTo("True/Programmed");
    assertThat(condition(listener(first, "x").conditions(), "Accepted")).isEqualTo("True/Accepted");
    assertThat(condition(listener(first, "x").conditions(), "Programmed")).isEqualTo("True/Programmed");
    for (String name : List.of("main", "dup")) {
      String reason = name.equals("main") ? "ProtocolConflict" : "HostnameConflict";
      List<Condition> c = listener(first, name).conditions();
      assertThat(condition(c, "Accepted")).isEqualTo("False/" + reason);
      assertThat(condition(c, "Conflicted")).isEqualTo("True/" + reason);
      assertThat(condition(c, "Programmed")).isEqualTo("False/" + reason);
    }
    ListenerSetResource.Status second = status(plan, newer, true);
    assertThat(condition(second.conditions(), "Accepted")).isEqualTo("False/ListenersNotValid");
    assertThat(condition(second.conditions(), "Programmed")).isEqualTo("False/ListenersNotValid");
    assertThat(condition(listener(second, "x").conditions(), "Conflicted")).isEqualTo("True/HostnameConflict");
    // the Gateway's own listener keeps serving, and only the older set counts as attached
    GatewayResource.Status gwStatus = GatewayStatuses.of(GatewayTranslatorTest.gateway(gw), plan, true, List.of(),
        NOW);
    assertThat(gwStatus.listeners()).extracting(ListenerStatus::name).containsExactly("main");
    assertThat(condition(gwStatus.listeners().get(0).conditions(), "Conflicted")).isEqualTo("False/NoConflicts");
    assertThat(gwStatus.attachedListenerSets()).isEqualTo(1);
    assertThat(plan.spec().listenersOrEmpty()).hasSize(1);
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void routesAttachToAListenerSetThroughItsParentRefWithItsOwnSameNamespace() {
    ListenerSetResource ls = set("apps", "ls", "2026-01-01T00:00:00Z", """
        - {name: same, port: 80, protocol: HTTP, hostname: b.com}
        - {name: other, port: 80, protocol: HTTP, hostname: c.com, allowedRoutes: {namespaces: {from: All}}}
        """);
    HttpRouteResource mine = route("apps", "mine", "[{kind: ListenerSet, name: ls}]");
    HttpRouteResource theirs = route("infra", "theirs", "[{kind: ListenerSet, name: ls, namespace: apps, "
        + "sectionName: same}]");
    HttpRouteResource viaGateway = route("infra", "via-gateway", "[{name: gw, sectionName: same}]");
    HttpRouteResource both = route("infra", "both", "[{name: gw}, {kind: ListenerSet, name: ls, namespace: apps,"
        + " sectionName: other}]");

    GatewayPlan plan = plan(gateway("{from: Selector, selector: {matchLabels: {team: a}}}"));

    assertThat(GatewayTranslatorTest.only(plan, mine).accepted()).isTrue();
    assertThat(GatewayTranslatorTest.only(plan, theirs).acceptedReason()).isEqualTo("NotAllowedByListeners");
    assertThat(GatewayTranslatorTest.only(plan, viaGateway).acceptedReason()).isEqualTo("NoMatchingParent");
    assertThat(plan.verdicts().get(both)).extracting(ParentVerdict::accepted).containsExactly(true, true);
    ListenerSetResource.Status s = status(plan, ls, false);
    assertThat(condition(s.conditions(), "Accepted")).isEqualTo("True/Accepted");
    assertThat(condition(s.conditions(), "Programmed")).isEqualTo("False/Pending");
    assertThat(listener(s, "same").attachedRoutes()).isEqualTo(1);
    assertThat(listener(s, "other").attachedRoutes()).isEqualTo(2);
    assertThat(plan.attachedRoutes()).containsEntry("main", 1);
    assertThat(served(plan, "mine")).containsExactly("port-80 [b.com, c.com]");
    assertThat(served(plan, "both")).containsExactly("port-80 [a.com, c.com]");
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void aListenerSetsCertificatesAreItsNamespacesOrGrantedToListenerSets() {
    String gw = gateway("{from: All}");
    ListenerSetResource ls = set("apps", "ls", "2026-01-01T00:00:00Z", """
        - {name: own, port: 443, protocol: HTTPS, hostname: b.com, tls: {certificateRefs: [{name: own}]}}
        - {name: shared, port: 443, protocol: HTTPS, hostname: c.com,
           tls: {certificateRefs: [{name: shared, namespace: certs}]}}
        """);

    ListenerSetResource.Status refused = status(plan(gw), ls, true);
    assertThat(condition(listener(refused, "own").conditions(), "ResolvedRefs")).isEqualTo("True/ResolvedRefs");
    assertThat(condition(listener(refused, "shared").conditions(), "ResolvedRefs"))
        .isEqualTo("False/RefNotPermitted");
    assertThat(condition(refused.conditions(), "Accepted")).isEqualTo("True/ListenersNotValid");

    grants.add(Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: g, namespace: certs}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: ListenerSet, namespace: apps}]
          to: [{group: "", kind: Secret}]
        """, ReferenceGrantResource.class));
    GatewayPlan plan = plan(gw);
    assertThat(condition(status(plan, ls, true).conditions(), "Accepted")).isEqualTo("True/Accepted");
    String own = ListenerChecks.copyName("gw", "apps", "own");
    String shared = ListenerChecks.copyName("gw", "certs", "shared");
    assertThat(plan.secretCopies()).containsOnlyKeys(own, shared);
    assertThat(plan.spec().listenersOrEmpty()).filteredOn(l -> l.port() == 443).singleElement()
        .satisfies(l -> assertThat(l.tls().certificatesOrEmpty()).extracting(c -> c.secretName())
            .containsExactly(own, shared));
  }

  private static List<String> served(GatewayPlan plan, String route) {
    return plan.spec().routesOrEmpty().stream().filter(r -> r.name().startsWith("httproute-"))
        .filter(r -> r.name().contains("-" + route + "-")).map(r -> String.join(",", r.listeners()) + " " + r.hosts())
        .distinct().toList();
  }

  private static Secret secret(String name, String namespace) {
    return new SecretBuilder(GatewayTranslatorTest.tlsSecret()).editMetadata().withName(name)
        .withNamespace(namespace).endMetadata().build();
  }
}
