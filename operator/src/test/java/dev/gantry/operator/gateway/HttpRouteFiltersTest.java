package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.HeaderModifier;
import dev.gantry.model.QueryParamMatch;
import dev.gantry.model.Redirect;
import dev.gantry.model.Rewrite;
import dev.gantry.model.Route;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.translate.ClusterRefs;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * HTTPRoute redirects, URL rewrites, header modifiers and query parameter matches through the Gateway's
 * translation: the model routes they become (valid ones), and the rules left out with why.
 */
class HttpRouteFiltersTest {

  private final List<HttpRouteResource> routes = new ArrayList<>();
  private final Map<String, ClusterRefs> refs = Map.of("infra",
      new ClusterRefs(Map.of("web", GatewayTranslatorTest.service("web", 8080)), Map.of(), Map.of()));

  HttpRouteResource route(String name, String rules) {
    HttpRouteResource r = Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: infra, generation: 1, uid: %s}
        spec:
          parentRefs: [{name: gw, sectionName: http}]
          rules:
        """.formatted(name, name) + rules.indent(2), HttpRouteResource.class);
    routes.add(r);
    return r;
  }

  GatewayPlan plan() {
    return GatewayTranslator.translate(new GatewayInputs(GatewayTranslatorTest.gateway(GatewayTranslatorTest.GATEWAY),
        routes, Map.of(), List.of(), ns -> refs.getOrDefault(ns, ClusterRefs.NONE)));
  }

  @Test
  void aRedirectBecomesARouteWithoutBackends() {
    route("moved", """
        - matches: [{path: {type: PathPrefix, value: /old/}}]
          filters:
          - type: RequestRedirect
            requestRedirect: {scheme: https, hostname: example.org, port: 8443, statusCode: 301,
              path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}}
          - type: ResponseHeaderModifier
            responseHeaderModifier: {set: [{name: Cache-Control, value: no-store}]}
          - type: RequestHeaderModifier
            requestHeaderModifier: {set: [{name: X-Unused, value: "1"}]}
        - matches: [{path: {type: Exact, value: /full}}]
          filters:
          - {type: RequestRedirect, requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /elsewhere}}}
        - matches: [{path: {type: PathPrefix, value: /strip}}]
          filters:
          - {type: RequestRedirect, requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: ""}}}
        """);
    GatewayPlan plan = plan();

    Route moved = GatewayTranslatorTest.modelRoute(plan, "httproute-infra-moved-0-0");
    assertThat(moved.redirect()).isEqualTo(new Redirect("https", "example.org", 8443, null, "/new", 301));
    assertThat(moved.paths().get(0).value()).isEqualTo("/old");
    assertThat(moved.backends()).isNull();
    assertThat(moved.requestHeaders()).isNull();
    assertThat(moved.responseHeaders()).isEqualTo(new HeaderModifier(Map.of("Cache-Control", "no-store"), null));
    assertThat(GatewayTranslatorTest.modelRoute(plan, "httproute-infra-moved-1-0").redirect())
        .isEqualTo(new Redirect(null, null, null, "/elsewhere", null, null));
    // an empty replacement takes the prefix away, as "/" does
    assertThat(GatewayTranslatorTest.modelRoute(plan, "httproute-infra-moved-2-0").redirect().pathPrefix())
        .isEqualTo("/");
    // nothing of a redirect rule is a backend of the model
    assertThat(plan.spec().backendsOrEmpty()).isEmpty();
    assertThat(GatewayTranslatorTest.only(plan, routes.get(0)).partiallyInvalid()).isNull();
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void aRewriteChangesHostAndPathOfTheForwardedRequest() {
    route("rewritten", """
        - matches: [{path: {type: PathPrefix, value: /prefix/one}}]
          filters:
          - {type: URLRewrite, urlRewrite: {hostname: one.example.org,
              path: {type: ReplacePrefixMatch, replacePrefixMatch: /one}}}
          - {type: RequestHeaderModifier, requestHeaderModifier: {remove: [X-Debug]}}
          backendRefs: [{name: web, port: 8080}]
        - matches: [{path: {type: Exact, value: /full/one}}]
          filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /one}}}]
          backendRefs: [{name: web, port: 8080}]
        - matches: [{path: {type: PathPrefix, value: /host}}]
          filters: [{type: URLRewrite, urlRewrite: {hostname: example.org}}]
          backendRefs: [{name: web, port: 8080}]
        """);
    GatewayPlan plan = plan();

    Route prefix = GatewayTranslatorTest.modelRoute(plan, "httproute-infra-rewritten-0-0");
    assertThat(prefix.rewrite()).isEqualTo(new Rewrite("/one", null, "one.example.org"));
    assertThat(prefix.requestHeaders().remove()).containsExactly("X-Debug");
    assertThat(prefix.backends()).extracting(b -> b.name()).containsExactly("svc-web-8080");
    assertThat(GatewayTranslatorTest.modelRoute(plan, "httproute-infra-rewritten-1-0").rewrite())
        .isEqualTo(new Rewrite(null, "/one", null));
    assertThat(GatewayTranslatorTest.modelRoute(plan, "httproute-infra-rewritten-2-0").rewrite())
        .isEqualTo(new Rewrite(null, null, "example.org"));
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void queryParameterMatchesKeepTheFirstOfANameAndNamesAreCaseSensitive() {
    route("query", """
        - matches:
          - queryParams: [{name: animal, value: whale}, {name: animal, value: dolphin}, {name: Animal, value: x},
              {type: Exact, name: color, value: blue}]
            method: GET
          backendRefs: [{name: web, port: 8080}]
        """);
    GatewayPlan plan = plan();

    Route r = GatewayTranslatorTest.modelRoute(plan, "httproute-infra-query-0-0");
    assertThat(r.queryParams()).containsExactly(new QueryParamMatch("animal", "whale"),
        new QueryParamMatch("Animal", "x"), new QueryParamMatch("color", "blue"));
    assertThat(r.methods()).containsExactly("GET");
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void filtersTheModelCannotServeLeaveTheirRuleOutAndSayWhy() {
    HttpRouteResource r = route("odd", """
        - filters: [{type: RequestRedirect, requestRedirect: {statusCode: 304}}]
        - filters: [{type: RequestRedirect, requestRedirect: {scheme: ftp}}]
        - matches: [{path: {type: Exact, value: /a}}]
          filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /b}}}]
          backendRefs: [{name: web, port: 8080}]
        - filters:
          - {type: RequestRedirect, requestRedirect: {hostname: example.org}}
          - {type: URLRewrite, urlRewrite: {hostname: example.org}}
        - matches: [{queryParams: [{type: RegularExpression, name: a, value: "(x+)+y"}]}]
          backendRefs: [{name: web, port: 8080}]
        - filters: [{type: ExtensionRef, extensionRef: {group: example.com, kind: Thing, name: x}}]
          backendRefs: [{name: web, port: 8080}]
        - matches: [{path: {type: PathPrefix, value: /served}}]
          filters: [{type: RequestRedirect, requestRedirect: {statusCode: 308}}]
        """);
    GatewayPlan plan = plan();

    ParentVerdict v = GatewayTranslatorTest.only(plan, r);
    assertThat(v.acceptedReason()).isEqualTo("Accepted");
    assertThat(v.partiallyInvalid()).isEqualTo(String.join("; ",
        "rules[0]: redirect statusCode 304 is not supported",
        "rules[1]: redirect scheme ftp is not supported",
        "rules[2]: ReplacePrefixMatch needs PathPrefix matches, not Exact",
        "rules[3]: RequestRedirect and URLRewrite cannot be used on one rule",
        "rules[4]: query parameter match type RegularExpression is not supported",
        "rules[5]: filter ExtensionRef is not supported yet"));
    assertThat(plan.spec().routesOrEmpty()).extracting(Route::name).containsExactly("httproute-infra-odd-6-0-port-80");
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }
}
