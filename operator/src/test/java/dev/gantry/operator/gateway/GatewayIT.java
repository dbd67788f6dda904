package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.gantry.operator.gateway.GatewayApiOperator.condition;
import static dev.gantry.operator.gateway.GatewayApiOperator.eventually;

import dev.gantry.model.BackendProtocol;
import dev.gantry.model.Condition;
import dev.gantry.model.Listener;
import dev.gantry.model.QueryParamMatch;
import dev.gantry.model.Redirect;
import dev.gantry.model.Route;
import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.gateway.api.BackendTlsPolicyResource;
import dev.gantry.operator.gateway.api.GatewayClassResource;
import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.gateway.api.GrpcRouteResource;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.gateway.api.RouteStatus;
import dev.gantry.operator.gateway.api.TcpRouteResource;
import dev.gantry.operator.testing.Cluster;
import dev.gantry.operator.testing.ControlPlaneExtension;
import dev.gantry.operator.testing.GantryRelease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gateway API on the real API server, with the standard-channel CRDs and the chart's Gateway API permissions:
 * GatewayClasses accepted, a Gateway with its HTTPRoutes (or TCPRoutes and GRPCRoutes) becoming a LoadBalancer, and
 * the status of both.
 */
@ExtendWith(ControlPlaneExtension.class)
class GatewayIT {

  GatewayApiOperator gateways;
  KubernetesClient client;
  Cluster cluster;
  Cluster other;

  @BeforeEach
  void start(GantryRelease gantry) {
    gateways = GatewayApiOperator.start(gantry, "gw", "gw-other");
    cluster = gateways.namespace(0);
    other = gateways.namespace(1);
    client = gateways.client();
  }

  @AfterEach
  void stop() {
    if (gateways != null) {
      gateways.close();
    }
  }

  GatewayClassResource gatewayClass(String name) {
    return client.resources(GatewayClassResource.class).withName(name).get();
  }

  @Test
  void aGatewayClassOfGantryIsAcceptedWithItsFeaturesAndOthersAreLeftAlone() {
    String ours = cluster.namespace() + "-gantry";
    String theirs = cluster.namespace() + "-theirs";
    try {
      gateways.apply(GatewayClassResource.class, null, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: GatewayClass
          metadata: {name: %s}
          spec: {controllerName: gantry.dev/gateway-controller}
          """.formatted(ours));
      gateways.apply(GatewayClassResource.class, null, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: GatewayClass
          metadata: {name: %s}
          spec: {controllerName: example.com/other}
          """.formatted(theirs));

      eventually().untilAsserted(() -> {
        GatewayClassResource gc = gatewayClass(ours);
        Condition accepted = condition(gc.getStatus().conditions(), "Accepted");
        assertThat(accepted.status()).isEqualTo("True");
        assertThat(accepted.observedGeneration()).isEqualTo(gc.getMetadata().getGeneration());
        assertThat(gc.getStatus().supportedFeatures()).extracting(GatewayClassResource.Feature::name)
            .containsExactlyElementsOf(GatewayClassReconciler.SUPPORTED_FEATURES).isSorted()
            .contains("GRPCRoute", "Gateway", "HTTPRoute", "ReferenceGrant", "TCPRoute", "TLSRoute");
      });
      GatewayClassResource other = gatewayClass(theirs);
      assertThat(other.getStatus() == null ? null : condition(other.getStatus().conditions(), "Accepted"))
          .satisfiesAnyOf(c -> assertThat(c).isNull(), c -> assertThat(c.reason()).isEqualTo("Pending"));
    } finally {
      client.resources(GatewayClassResource.class).withName(ours).delete();
      client.resources(GatewayClassResource.class).withName(theirs).delete();
    }
  }

  @Test
  void aGatewayAndItsRoutesBecomeALoadBalancerAndAreToldWhatAttached() {
    String className = cluster.namespace() + "-class";
    String ns = cluster.namespace();
    try {
      gateways.apply(GatewayClassResource.class, null, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: GatewayClass
          metadata: {name: %s}
          spec: {controllerName: gantry.dev/gateway-controller}
          """.formatted(className));
      cluster.service("web", 8080, "http", 8080);
      gateways.apply(GatewayResource.class, ns, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: edge}
          spec:
            gatewayClassName: %s
            listeners:
            - {name: http, port: 80, protocol: HTTP, hostname: "*.example.com"}
            - {name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: missing}]}}
          """.formatted(className));
      gateways.apply(HttpRouteResource.class, ns, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: shop}
          spec:
            parentRefs: [{name: edge, sectionName: http}]
            hostnames: [shop.example.com]
            rules:
            - matches: [{path: {type: PathPrefix, value: /cart}, method: POST}]
              backendRefs: [{name: web, port: 8080}]
            - matches: [{queryParams: [{type: RegularExpression, name: q, value: "1+"}]}]
              backendRefs: [{name: web, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /old}, queryParams: [{name: v, value: "1"}]}]
              filters: [{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301}}]
          """);
      gateways.apply(HttpRouteResource.class, ns, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: broken}
          spec:
            parentRefs: [{name: edge}]
            rules: [{backendRefs: [{name: nowhere, port: 80}]}]
          """);
      gateways.apply(HttpRouteResource.class, other.namespace(), """
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: stranger}
          spec:
            parentRefs: [{name: edge, namespace: %s}]
            rules: [{backendRefs: [{name: web, port: 8080}]}]
          """.formatted(ns));

      // the LoadBalancer: port 80 only (443 has no usable certificate), the route narrowed to its hostname
      eventually().untilAsserted(() -> {
        LoadBalancerResource lb = cluster.loadBalancer(GatewayLoadBalancers.name("edge"));
        assertThat(lb.getSpec().listeners()).extracting(Listener::name).containsExactly("port-80");
        Route cart = lb.getSpec().routes().stream().filter(r -> r.name().startsWith("httproute-" + ns + "-shop-0-0"))
            .findFirst().orElseThrow();
        assertThat(cart.hosts()).containsExactly("shop.example.com");
        assertThat(cart.methods()).containsExactly("POST");
        assertThat(cart.paths().get(0).value()).isEqualTo("/cart");
        assertThat(lb.getSpec().routes()).extracting(Route::name)
            .noneMatch(n -> n.startsWith("httproute-" + ns + "-shop-1"));
        // a redirect and a query parameter match pass the LoadBalancer CRD of the real API server
        Route moved = lb.getSpec().routes().stream().filter(r -> r.name().startsWith("httproute-" + ns + "-shop-2-0"))
            .findFirst().orElseThrow();
        assertThat(moved.redirect()).isEqualTo(new Redirect("https", null, null, null, null, 301));
        assertThat(moved.queryParams()).containsExactly(new QueryParamMatch("v", "1"));
        assertThat(moved.backends()).isNull();
        assertThat(lb.getMetadata().getOwnerReferences()).singleElement()
            .satisfies(o -> assertThat(o.getKind()).isEqualTo("Gateway"));
      });

      eventually().untilAsserted(() -> {
        GatewayResource gw = cluster.get(GatewayResource.class, "edge");
        assertThat(condition(gw.getStatus().conditions(), "Accepted").status()).isEqualTo("True");
        // no proxy pod runs here, so the Gateway waits for its fleet
        assertThat(condition(gw.getStatus().conditions(), "Programmed").reason()).isEqualTo("Pending");
        GatewayResource.ListenerStatus http = gw.getStatus().listeners().get(0);
        GatewayResource.ListenerStatus https = gw.getStatus().listeners().get(1);
        assertThat(http.attachedRoutes()).isEqualTo(2);
        assertThat(http.supportedKinds()).extracting(GatewayResource.RouteGroupKind::kind)
            .containsExactly("HTTPRoute", "GRPCRoute");
        assertThat(condition(https.conditions(), "ResolvedRefs").reason()).isEqualTo("InvalidCertificateRef");
        assertThat(condition(https.conditions(), "Programmed").status()).isEqualTo("False");
        assertThat(condition(http.conditions(), "Conflicted").status()).isEqualTo("False");
      });

      eventually().untilAsserted(() -> {
        RouteStatus.Parent shop = parent(ns, "shop");
        assertThat(condition(shop.conditions(), "Accepted").status()).isEqualTo("True");
        assertThat(condition(shop.conditions(), "PartiallyInvalid").reason()).isEqualTo("UnsupportedValue");
        assertThat(condition(shop.conditions(), "ResolvedRefs").status()).isEqualTo("True");
        assertThat(shop.controllerName()).isEqualTo("gantry.dev/gateway-controller");
        RouteStatus.Parent broken = parent(ns, "broken");
        assertThat(condition(broken.conditions(), "ResolvedRefs").reason()).isEqualTo("BackendNotFound");
        RouteStatus.Parent stranger = parent(other.namespace(), "stranger");
        assertThat(condition(stranger.conditions(), "Accepted").reason()).isEqualTo("NotAllowedByListeners");
        assertThat(condition(stranger.conditions(), "Accepted").observedGeneration()).isEqualTo(1L);
      });

      // the LoadBalancer goes with its Gateway
      client.resources(GatewayResource.class).inNamespace(ns).withName("edge").delete();
      eventually().until(() -> cluster.loadBalancer(GatewayLoadBalancers.name("edge")) == null);
    } finally {
      client.resources(GatewayClassResource.class).withName(className).delete();
    }
  }

  @Test
  void tcpRoutesAndGrpcRoutesBecomeTheLoadBalancersListenersAndRoutesAndAreToldWhatAttached() {
    String className = cluster.namespace() + "-l4";
    String ns = cluster.namespace();
    try {
      gateways.apply(GatewayClassResource.class, null, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: GatewayClass
          metadata: {name: %s}
          spec: {controllerName: gantry.dev/gateway-controller}
          """.formatted(className));
      cluster.service("db", 5432, "pg", 5432);
      cluster.service("echo", 8080, "grpc", 8080);
      gateways.apply(GatewayResource.class, ns, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: mixed}
          spec:
            gatewayClassName: %s
            listeners:
            - {name: web, port: 80, protocol: HTTP}
            - {name: pg, port: 5432, protocol: TCP}
            - {name: spare, port: 5433, protocol: TCP}
          """.formatted(className));
      gateways.apply(TcpRouteResource.class, ns, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: TCPRoute
          metadata: {name: db}
          spec:
            parentRefs: [{name: mixed, sectionName: pg}]
            rules: [{backendRefs: [{name: db, port: 5432}]}]
          """);
      gateways.apply(TcpRouteResource.class, ns, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: TCPRoute
          metadata: {name: lost}
          spec:
            parentRefs: [{name: mixed, sectionName: spare}]
            rules: [{backendRefs: [{name: nowhere, port: 5432}]}]
          """);
      gateways.apply(GrpcRouteResource.class, ns, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: GRPCRoute
          metadata: {name: echo}
          spec:
            parentRefs: [{name: mixed}]
            rules:
            - matches: [{method: {service: echo.Echo, method: Say}}]
              backendRefs: [{name: echo, port: 8080}]
          """);

      eventually().untilAsserted(() -> {
        LoadBalancerResource lb = cluster.loadBalancer(GatewayLoadBalancers.name("mixed"));
        assertThat(lb.getSpec().listeners()).extracting(l -> l.name() + ":" + l.protocol() + ":" + l.defaultBackend())
            .containsExactly("port-80:HTTP:null", "port-5432:TCP:svc-db-5432",
                "port-5433:TCP:" + BackendRefs.UNRESOLVED.name());
        Route say = lb.getSpec().routes().stream().filter(r -> r.name().startsWith("grpcroute-" + ns + "-echo-0-0"))
            .findFirst().orElseThrow();
        assertThat(say.paths().get(0).value()).isEqualTo("/echo.Echo/Say");
        assertThat(say.listeners()).containsExactly("port-80");
        assertThat(lb.getSpec().backends()).filteredOn(b -> b.name().equals("h2c-svc-echo-8080")).singleElement()
            .satisfies(b -> assertThat(b.protocol()).isEqualTo(BackendProtocol.H2C));
      });

      eventually().untilAsserted(() -> {
        GatewayResource gw = cluster.get(GatewayResource.class, "mixed");
        assertThat(gw.getStatus().listeners()).extracting(l -> l.name() + ":" + l.attachedRoutes())
            .containsExactly("web:1", "pg:1", "spare:1");
        assertThat(gw.getStatus().listeners().get(1).supportedKinds()).extracting(GatewayResource.RouteGroupKind::kind)
            .containsExactly("TCPRoute");
        RouteStatus db = client.resources(TcpRouteResource.class).inNamespace(ns).withName("db").get().getStatus();
        assertThat(condition(db.parents().get(0).conditions(), "Accepted").status()).isEqualTo("True");
        assertThat(condition(db.parents().get(0).conditions(), "ResolvedRefs").status()).isEqualTo("True");
        RouteStatus lost = client.resources(TcpRouteResource.class).inNamespace(ns).withName("lost").get().getStatus();
        assertThat(condition(lost.parents().get(0).conditions(), "ResolvedRefs").reason()).isEqualTo("BackendNotFound");
        RouteStatus echo = client.resources(GrpcRouteResource.class).inNamespace(ns).withName("echo").get()
            .getStatus();
        assertThat(condition(echo.parents().get(0).conditions(), "Accepted").status()).isEqualTo("True");
        assertThat(echo.parents().get(0).controllerName()).isEqualTo("gantry.dev/gateway-controller");
      });
    } finally {
      client.resources(GatewayClassResource.class).withName(className).delete();
    }
  }

  @Test
  void aBackendTlsPolicyMakesItsServicesBackendSpeakTlsAndIsToldWhetherItsCaIsThere() {
    String className = cluster.namespace() + "-btls";
    String ns = cluster.namespace();
    try {
      gateways.apply(GatewayClassResource.class, null, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: GatewayClass
          metadata: {name: %s}
          spec: {controllerName: gantry.dev/gateway-controller}
          """.formatted(className));
      cluster.service("secure", 443, "btls", 8443);
      dev.gantry.proxy.testing.TestCertificates.Issued gatewayCert = dev.gantry.proxy.testing.TestCertificates
          .authority("gateway-client-ca").issue("gateway", dev.gantry.proxy.testing.TestCertificates.KeyType.EC,
              "gateway");
      cluster.tlsSecret("gateway-client", gatewayCert.chainPem(),
          gatewayCert.keyPem(dev.gantry.proxy.testing.TestCertificates.KeyFormat.PKCS8));
      cluster.tlsSecret("site", gatewayCert.chainPem(),
          gatewayCert.keyPem(dev.gantry.proxy.testing.TestCertificates.KeyFormat.PKCS8));
      gateways.apply(GatewayResource.class, ns, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: edge}
          spec:
            gatewayClassName: %s
            listeners:
            - {name: http, port: 80, protocol: HTTP}
            - {name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: site}]}}
            tls:
              backend:
                clientCertificateRef: {group: "", kind: Secret, name: gateway-client}
              frontend:
                default:
                  validation:
                    mode: AllowInsecureFallback
                    caCertificateRefs: [{group: "", kind: ConfigMap, name: secure-ca}]
          """.formatted(className));
      gateways.apply(HttpRouteResource.class, ns, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: secure}
          spec:
            parentRefs: [{name: edge}]
            rules: [{backendRefs: [{name: secure, port: 443}]}]
          """);
      gateways.apply(BackendTlsPolicyResource.class, ns, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: BackendTLSPolicy
          metadata: {name: secure}
          spec:
            targetRefs: [{group: "", kind: Service, name: secure, sectionName: btls}]
            validation:
              caCertificateRefs: [{group: "", kind: ConfigMap, name: secure-ca}]
              hostname: secure.example.com
          """);

      // no CA yet: the policy is told so and the backend fails requests
      eventually().untilAsserted(() -> {
        List<Condition> told = ancestorConditions(ns, "secure");
        assertThat(condition(told, "Accepted").reason()).isEqualTo("NoValidCACertificate");
        assertThat(condition(told, "ResolvedRefs").reason()).isEqualTo("InvalidCACertificateRef");
      });

      client.configMaps().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
          .withNewMetadata().withName("secure-ca").endMetadata()
          .addToData("ca.crt", dev.gantry.proxy.testing.TestCertificates.authority("secure-ca").certificatePem())
          .build()).create();

      eventually().untilAsserted(() -> {
        List<Condition> told = ancestorConditions(ns, "secure");
        assertThat(condition(told, "Accepted").status()).isEqualTo("True");
        assertThat(condition(told, "ResolvedRefs").status()).isEqualTo("True");
        LoadBalancerResource lb = cluster.loadBalancer(GatewayLoadBalancers.name("edge"));
        dev.gantry.model.Backend b = lb.getSpec().backends().stream().filter(x -> x.name().equals("tls-svc-secure-443"))
            .findFirst().orElseThrow();
        assertThat(b.protocol()).isEqualTo(BackendProtocol.TLS);
        assertThat(b.tls().serverName()).isEqualTo("secure.example.com");
        assertThat(b.tls().caCertificateRefs()).singleElement().satisfies(r -> assertThat(r.name())
            .isEqualTo("secure-ca"));
        // the Gateway's spec.tls: its client certificate to TLS backends, and client validation on HTTPS
        assertThat(b.tls().clientCertificateRef().name()).isEqualTo("gateway-client");
        Listener https = lb.getSpec().listeners().stream().filter(l -> l.port() == 443).findFirst().orElseThrow();
        assertThat(https.tls().clientCertificates().mode())
            .isEqualTo(dev.gantry.model.ClientCertificateMode.InsecureFallback);
        GatewayResource gw = cluster.get(GatewayResource.class, "edge");
        assertThat(condition(gw.getStatus().conditions(), "ResolvedRefs").status()).isEqualTo("True");
        assertThat(condition(gw.getStatus().conditions(), "InsecureFrontendValidationMode").reason())
            .isEqualTo("ConfigurationChanged");
      });
    } finally {
      client.resources(GatewayClassResource.class).withName(className).delete();
    }
  }

  List<Condition> ancestorConditions(String namespace, String policy) {
    BackendTlsPolicyResource p = client.resources(BackendTlsPolicyResource.class).inNamespace(namespace)
        .withName(policy).get();
    BackendTlsPolicyResource.Ancestor a = p.getStatus().ancestors().get(0);
    assertThat(a.ancestorRef().name()).isEqualTo("edge");
    assertThat(a.controllerName()).isEqualTo("gantry.dev/gateway-controller");
    assertThat(a.conditions()).allSatisfy(c -> assertThat(c.observedGeneration()).isEqualTo(1L));
    return a.conditions();
  }

  RouteStatus.Parent parent(String namespace, String route) {
    HttpRouteResource r = client.resources(HttpRouteResource.class).inNamespace(namespace).withName(route).get();
    return r.getStatus().parents().get(0);
  }
}
