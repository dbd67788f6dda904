package dev.gantry.model;

import static dev.gantry.model.Fixtures.BACKENDS;
import static dev.gantry.model.Fixtures.HEADER;
import static dev.gantry.model.Fixtures.HTTP_LISTENER;
import static dev.gantry.model.Fixtures.doc;
import static dev.gantry.model.ValidationMode.CLUSTER;
import static dev.gantry.model.ValidationMode.STANDALONE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The validation rules through {@link ModelLoader}, as users see them: each case is a document and the exact
 * lines it must print. {@link Fixtures#doc} puts the spec body on line 6 and valid backends "web" and "api"
 * after it.
 */
class ValidationRulesTest {

  private static Arguments rule(String name, ValidationMode mode, String text, String... expected) {
    return Arguments.of(Named.of(name, text), mode, List.of(expected));
  }

  private static Arguments rule(String name, String text, String... expected) {
    return rule(name, STANDALONE, text, expected);
  }

  /** A route named r (line 9) on the HTTP listener, with {@code fields} from line 10 on. */
  private static String route(String fields) {
    return doc(HTTP_LISTENER + "  routes:\n  - name: r\n" + fields);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"metadata", "listeners", "tls", "routes", "matches", "headers", "backends", "backendTls", "others"})
  void printsExactlyTheseDiagnostics(String text, ValidationMode mode, List<String> expected) {
    LoadResult result = ModelLoader.load("lb.yaml", text, mode);

    assertThat(result.diagnostics()).map(Diagnostic::toString).containsExactlyElementsOf(expected);
    assertThat(result.loadBalancers()).hasSize(expected.isEmpty() ? 1 : 0);
  }

  static Stream<Arguments> metadata() {
    return Stream.of(
        rule("a valid document", doc(HTTP_LISTENER)),
        rule("name missing", doc(HTTP_LISTENER).replace("  name: shop\n", "  namespace: web\n"),
            "lb.yaml:3: metadata.name: required"),
        rule("name and namespace malformed", doc(HTTP_LISTENER).replace("  name: shop\n", "  name: Shop\n  namespace: a.b\n"),
            "lb.yaml:4: metadata.name: expected a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', "
                + "at most 253 characters), got \"Shop\"",
            "lb.yaml:5: metadata.namespace: expected a DNS-1123 label (lowercase letters, digits and '-', "
                + "at most 63 characters), got \"a.b\""),
        rule("spec missing", "apiVersion: gantry.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: a}\n",
            "lb.yaml:1: spec: required"));
  }

  static Stream<Arguments> listeners() {
    return Stream.of(
        rule("no listeners", doc("  listeners: []\n"),
            "lb.yaml:6: spec.listeners: at least one listener is required"),
        rule("listeners left out, reported on spec", doc(""),
            "lb.yaml:5: spec.listeners: at least one listener is required"),
        rule("listener name malformed", doc("  listeners:\n  - {name: Web_1, port: 80, protocol: HTTP}\n"),
            "lb.yaml:7: spec.listeners[0].name: expected a DNS-1123 label (lowercase letters, digits and '-', "
                + "at most 63 characters), got \"Web_1\""),
        rule("duplicate name and port", doc("""
              listeners:
              - {name: http, port: 80, protocol: HTTP}
              - {name: http, port: 80, protocol: HTTP}
            """),
            "lb.yaml:8: spec.listeners[1].name: duplicate name \"http\", also spec.listeners[0].name",
            "lb.yaml:8: spec.listeners[1].port: duplicate port 80, also spec.listeners[0].port"),
        rule("port out of range", doc("  listeners:\n  - {name: http, port: 65536, protocol: HTTP}\n"),
            "lb.yaml:7: spec.listeners[0].port: expected a port from 1 to 65535, got 65536"),
        rule("port and protocol missing", doc("  listeners:\n  - name: http\n"),
            "lb.yaml:7: spec.listeners[0].port: required",
            "lb.yaml:7: spec.listeners[0].protocol: required, one of HTTP, HTTPS, TCP, TLS"),
        rule("empty list entry", doc("  listeners:\n  -\n  - {name: http, port: 80, protocol: HTTP}\n"),
            "lb.yaml:7: spec.listeners[0]: expected a listener, got an empty entry"),
        rule("redirects", doc("""
              listeners:
              - {name: a, port: 80, protocol: HTTP, redirectToHttps: nope}
              - {name: b, port: 81, protocol: HTTP, redirectToHttps: a}
              - {name: c, port: 443, protocol: HTTPS, redirectToHttps: c}
            """),
            "lb.yaml:7: spec.listeners[0].redirectToHttps: no listener named \"nope\"",
            "lb.yaml:8: spec.listeners[1].redirectToHttps: expected an HTTPS listener, \"a\" is HTTP",
            "lb.yaml:9: spec.listeners[2].redirectToHttps: only allowed on HTTP listeners, this one is HTTPS"),
        rule("default backends", doc("""
              listeners:
              - {name: db, port: 5432, protocol: TCP}
              - {name: web, port: 80, protocol: HTTP, defaultBackend: nope}
            """),
            "lb.yaml:7: spec.listeners[0].defaultBackend: required for TCP listeners, which take no routes",
            "lb.yaml:8: spec.listeners[1].defaultBackend: no backend named \"nope\""),
        rule("default backends with a fixed response", doc("""
              listeners:
              - {name: db, port: 5432, protocol: TCP, defaultBackend: down}
              - {name: web, port: 80, protocol: HTTP, defaultBackend: down}
            """).replace("  backends:\n", "  backends:\n  - {name: down, fixedResponse: {status: 503}}\n"),
            "lb.yaml:7: spec.listeners[0].defaultBackend: \"down\" has a fixedResponse, which answers HTTP requests "
                + "only; a TCP listener forwards connections"));
  }

  static Stream<Arguments> tls() {
    return Stream.of(
        rule("HTTPS without certificates gets a generated one later",
            doc("  listeners:\n  - {name: https, port: 443, protocol: HTTPS, tls: {minVersion: \"1.3\"}}\n")),
        rule("tls on a TLS listener terminates, and needs certificates",
            doc("  listeners:\n  - {name: t, port: 443, protocol: TLS, defaultBackend: web, tls: {}}\n"),
            "lb.yaml:7: spec.listeners[0].tls.certificates: required on a TLS listener, whose tls terminates TLS "
                + "before relaying the connection"),
        rule("a terminating TLS listener with certificates", doc("""
              listeners:
              - name: t
                port: 443
                protocol: TLS
                defaultBackend: web
                tls: {minVersion: "1.3", certificates: [{certFile: c.pem, keyFile: k.pem}]}
            """)),
        rule("what only HTTPS listeners take, on a terminating TLS listener", doc("""
              listeners:
              - name: t
                port: 443
                protocol: TLS
                defaultBackend: web
                tls: {certificates: [{certFile: c.pem, keyFile: k.pem}], alpn: [h2], sniHosts: [a.example]}
            """),
            "lb.yaml:11: spec.listeners[0].tls.alpn: not allowed on a TLS listener: the relayed bytes are no HTTP",
            "lb.yaml:11: spec.listeners[0].tls.sniHosts: not allowed on a TLS listener, only on HTTPS listeners"),
        rule("tls on a TCP listener", doc("""
              listeners:
              - {name: t, port: 5432, protocol: TCP, defaultBackend: web, tls: {}}
            """),
            "lb.yaml:7: spec.listeners[0].tls: only allowed on HTTPS and TLS listeners, this one is TCP"),
        rule("versions and ALPN", doc("""
              listeners:
              - name: https
                port: 443
                protocol: HTTPS
                tls: {minVersion: 1.1, alpn: [h2, h3, h2]}
            """),
            "lb.yaml:10: spec.listeners[0].tls.minVersion: expected \"1.2\" or \"1.3\", got \"1.1\"",
            "lb.yaml:10: spec.listeners[0].tls.alpn[1]: expected \"h2\" or \"http/1.1\", got \"h3\"",
            "lb.yaml:10: spec.listeners[0].tls.alpn[2]: duplicate protocol \"h2\", also spec.listeners[0].tls.alpn[0]"),
        rule("SNI hosts", doc("""
              listeners:
              - name: https
                port: 443
                protocol: HTTPS
                tls: {sniHosts: [a.example.com, "*.example.com", "*", "b:443", A.example.com]}
            """),
            "lb.yaml:10: spec.listeners[0].tls.sniHosts[2]: \"*\" alone is not allowed: leave hosts empty to match any "
                + "host",
            "lb.yaml:10: spec.listeners[0].tls.sniHosts[3]: expected a host name without a port (the port is ignored "
                + "when matching), got \"b:443\"",
            "lb.yaml:10: spec.listeners[0].tls.sniHosts[4]: duplicate host \"A.example.com\", also "
                + "spec.listeners[0].tls.sniHosts[0]"),
        rule("certificates standalone", doc("""
              listeners:
              - name: https
                port: 443
                protocol: HTTPS
                tls:
                  certificates:
                  - {secretName: s, certFile: a.pem, keyFile: a.key}
                  - {certFile: a.pem}
                  - {keyFile: a.key}
                  - {}
                  - {secretName: shop-tls}
                  - {certFile: b.pem, keyFile: b.key}
            """),
            "lb.yaml:12: spec.listeners[0].tls.certificates[0]: set either secretName or certFile and keyFile, not both",
            "lb.yaml:13: spec.listeners[0].tls.certificates[1].keyFile: required with certFile",
            "lb.yaml:14: spec.listeners[0].tls.certificates[2].certFile: required with keyFile",
            "lb.yaml:15: spec.listeners[0].tls.certificates[3]: needs secretName, or certFile and keyFile",
            "lb.yaml:16: spec.listeners[0].tls.certificates[4].secretName: secretName needs a cluster; use certFile and keyFile"),
        rule("certificates in a cluster", CLUSTER, doc("""
              listeners:
              - name: https
                port: 443
                protocol: HTTPS
                tls:
                  certificates: [{secretName: shop-tls}, {secretName: Shop_TLS}]
            """),
            "lb.yaml:11: spec.listeners[0].tls.certificates[1].secretName: expected a Secret name (a DNS-1123 subdomain), "
                + "got \"Shop_TLS\""),
        rule("client certificates", doc("""
              listeners:
              - name: https
                port: 443
                protocol: HTTPS
                tls:
                  clientCertificates: {mode: Require, caFile: ca.pem, depth: 2, crlFile: ca.crl, forward: false}
            """)),
        rule("client certificates without mode or CA, depth out of range", doc("""
              listeners:
              - name: https
                port: 443
                protocol: HTTPS
                tls:
                  clientCertificates:
                    depth: 11
                    crlFile: " "
            """),
            "lb.yaml:11: spec.listeners[0].tls.clientCertificates.mode: required, one of Require, Optional, InsecureFallback",
            "lb.yaml:11: spec.listeners[0].tls.clientCertificates.caFile: required: the PEM bundle of the CAs that "
                + "issue client certificates",
            "lb.yaml:12: spec.listeners[0].tls.clientCertificates.depth: expected a chain depth from 1 to 10, got 11",
            "lb.yaml:13: spec.listeners[0].tls.clientCertificates.crlFile: expected a file path, got \" \""),
        rule("client certificate depth 0 and an unknown mode", doc("""
              listeners:
              - name: https
                port: 443
                protocol: HTTPS
                tls:
                  clientCertificates: {mode: Maybe, caFile: ca.pem, depth: 0}
            """),
            "lb.yaml:11: spec.listeners[0].tls.clientCertificates.mode: unknown value \"Maybe\", expected one of Require, Optional, "
                + "InsecureFallback",
            "lb.yaml:11: spec.listeners[0].tls.clientCertificates.depth: expected a chain depth from 1 to 10, got 0"),
        rule("client certificates on a passthrough listener", doc("""
              listeners:
              - name: t
                port: 443
                protocol: TLS
                defaultBackend: web
                tls: {clientCertificates: {mode: Require, caFile: ca.pem}}
            """),
            "lb.yaml:11: spec.listeners[0].tls.certificates: required on a TLS listener, whose tls terminates TLS "
                + "before relaying the connection",
            "lb.yaml:11: spec.listeners[0].tls.clientCertificates: not allowed on a TLS listener, only on HTTPS "
                + "listeners"),
        rule("client certificates in a cluster: CA bundles and revocation lists from ConfigMaps and Secrets",
            CLUSTER, doc("""
              listeners:
              - name: https
                port: 443
                protocol: HTTPS
                tls:
                  clientCertificates:
                    mode: Optional
                    caCertificateRefs: [{kind: ConfigMap, name: client-ca}, {kind: Secret, name: more, key: a.pem}]
                    crlRef: {kind: Secret, name: client-ca}
            """)),
        rule("client certificate references: standalone, incomplete, or besides files", doc("""
              listeners:
              - name: https
                port: 443
                protocol: HTTPS
                tls:
                  clientCertificates:
                    mode: Require
                    caCertificateRefs: [{kind: ConfigMap, name: client-ca}]
                    crlRef: {kind: Secret, name: client-ca}
                    crlFile: ca.crl
            """),
            "lb.yaml:13: spec.listeners[0].tls.clientCertificates.caCertificateRefs: references need a cluster; "
                + "use caFile",
            "lb.yaml:14: spec.listeners[0].tls.clientCertificates.crlRef: set either crlFile or crlRef, not both",
            "lb.yaml:14: spec.listeners[0].tls.clientCertificates.crlRef: references need a cluster; use crlFile"),
        rule("client certificate references that name nothing usable", CLUSTER, doc("""
              listeners:
              - name: https
                port: 443
                protocol: HTTPS
                tls:
                  clientCertificates:
                    mode: Require
                    caFile: ca.pem
                    caCertificateRefs: [{name: Client_CA, key: "a b"}]
            """),
            "lb.yaml:14: spec.listeners[0].tls.clientCertificates.caCertificateRefs: set either caFile or "
                + "caCertificateRefs, not both",
            "lb.yaml:14: spec.listeners[0].tls.clientCertificates.caCertificateRefs[0].kind: required, one of "
                + "ConfigMap, Secret",
            "lb.yaml:14: spec.listeners[0].tls.clientCertificates.caCertificateRefs[0].name: expected a ConfigMap or "
                + "Secret name (a DNS-1123 subdomain), got \"Client_CA\"",
            "lb.yaml:14: spec.listeners[0].tls.clientCertificates.caCertificateRefs[0].key: expected a data key "
                + "(letters, digits, '-', '_' and '.'), got \"a b\""),
        rule("client certificates in a cluster without a CA", CLUSTER, doc("""
              listeners:
              - name: https
                port: 443
                protocol: HTTPS
                tls:
                  clientCertificates: {mode: Optional}
            """),
            "lb.yaml:11: spec.listeners[0].tls.clientCertificates.caCertificateRefs: required: the PEM bundle of "
                + "the CAs that issue client certificates"));
  }

  static Stream<Arguments> routes() {
    return Stream.of(
        rule("names", doc(HTTP_LISTENER + """
              routes:
              - {backends: [{name: web}]}
              - {name: a, backends: [{name: web}]}
              - {name: a, backends: [{name: web}]}
            """),
            "lb.yaml:9: spec.routes[0].name: required",
            "lb.yaml:11: spec.routes[2].name: duplicate name \"a\", also spec.routes[1].name"),
        rule("listeners a route names", doc("""
              listeners:
              - {name: http, port: 80, protocol: HTTP}
              - {name: db, port: 5432, protocol: TCP, defaultBackend: web}
              - {name: tls, port: 443, protocol: TLS}
              routes:
              - name: r
                listeners: [nope, db, tls, http, http]
                paths: [{value: /a}]
                methods: [GET]
                backends: [{name: web}]
            """),
            "lb.yaml:12: spec.routes[0].listeners[0]: no listener named \"nope\"",
            "lb.yaml:12: spec.routes[0].listeners[1]: listener \"db\" is TCP, which takes no routes",
            "lb.yaml:12: spec.routes[0].listeners[2]: listener \"tls\" is TLS passthrough, which routes by host only; "
                + "this route also uses paths, methods",
            "lb.yaml:12: spec.routes[0].listeners[4]: duplicate listener \"http\", also spec.routes[0].listeners[3]"),
        rule("a host-only route fits a TLS listener", doc("""
              listeners:
              - {name: tls, port: 443, protocol: TLS}
              routes:
              - {name: r, hosts: [mail.example.com], backends: [{name: web}]}
            """)),
        rule("an HTTP route fits no TLS listener", doc("""
              listeners:
              - {name: tls, port: 443, protocol: TLS}
              routes:
              - {name: r, paths: [{value: /}], backends: [{name: web}]}
            """),
            "lb.yaml:9: spec.routes[0]: matches no listener: needs an HTTP or HTTPS listener"),
        rule("no route fits a TCP listener", doc("""
              listeners:
              - {name: db, port: 5432, protocol: TCP, defaultBackend: web}
              routes:
              - {name: r, backends: [{name: web}]}
            """),
            "lb.yaml:9: spec.routes[0]: matches no listener: needs an HTTP or HTTPS listener, or a TLS one"),
        rule("backends missing", route("    hosts: [a.example.com]\n"),
            "lb.yaml:9: spec.routes[0].backends: at least one backend is required"),
        rule("backend references and weights", route("""
                backends:
                - {name: nope}
                - {name: web, weight: 1000001}
                - {name: web, weight: 0}
            """),
            "lb.yaml:11: spec.routes[0].backends[0].name: no backend named \"nope\"",
            "lb.yaml:12: spec.routes[0].backends[1].weight: expected a weight from 0 to 1000000, got 1000001",
            "lb.yaml:13: spec.routes[0].backends[2].name: duplicate backend \"web\", also spec.routes[0].backends[1].name"),
        rule("all weights 0", route("    backends: [{name: web, weight: 0}, {name: api, weight: 0}]\n"),
            "lb.yaml:10: spec.routes[0].backends: all weights are 0, so the route would never be served"),
        rule("a zero weight next to others drains that backend",
            route("    backends: [{name: web, weight: 0}, {name: api}]\n")),
        rule("rewrite", route("""
                paths: [{type: Exact, value: /a}]
                rewrite: {pathPrefix: b}
                backends: [{name: web}]
            """),
            "lb.yaml:11: spec.routes[0].rewrite.pathPrefix: expected a path starting with \"/\", got \"b\"",
            "lb.yaml:11: spec.routes[0].rewrite.pathPrefix: needs every path to be a Prefix, paths[0] is Exact"),
        rule("rewrite of nothing", route("    rewrite: {}\n    backends: [{name: web}]\n"),
            "lb.yaml:10: spec.routes[0].rewrite: expected at least one of pathPrefix, path and host"),
        rule("rewrite of path, prefix and host", route("""
                paths: [{type: Exact, value: /a}]
                rewrite: {path: /b c, pathPrefix: /b, host: "*.example.com"}
                backends: [{name: web}]
            """),
            "lb.yaml:11: spec.routes[0].rewrite: set either path or pathPrefix, not both",
            "lb.yaml:11: spec.routes[0].rewrite.path: expected a path without whitespace, '?' or '#', got \"/b c\"",
            "lb.yaml:11: spec.routes[0].rewrite.pathPrefix: needs every path to be a Prefix, paths[0] is Exact",
            "lb.yaml:11: spec.routes[0].rewrite.host: expected a host name such as shop.example.com (no wildcard "
                + "or port), got \"*.example.com\""),
        rule("rewrite of the whole path and the host, whatever the paths", route("""
                paths: [{type: Exact, value: /a}, {type: Regex, value: "/b.*"}]
                rewrite: {path: /index.html, host: static.internal}
                backends: [{name: web}]
            """)),
        rule("a redirect", route("""
                paths: [{type: Prefix, value: /old}]
                redirect: {scheme: https, host: shop.example.com, port: 8443, pathPrefix: /new, status: 301}
            """)),
        rule("a redirect with every field wrong", route("""
                paths: [{type: Exact, value: /old}]
                redirect: {scheme: ftp, host: "shop.example.com:80", port: 0, path: /a, pathPrefix: "new", status: 304}
            """),
            "lb.yaml:11: spec.routes[0].redirect.scheme: expected http or https, got \"ftp\"",
            "lb.yaml:11: spec.routes[0].redirect.host: expected a host name such as shop.example.com (no wildcard "
                + "or port), got \"shop.example.com:80\"",
            "lb.yaml:11: spec.routes[0].redirect.port: expected a port from 1 to 65535, got 0",
            "lb.yaml:11: spec.routes[0].redirect: set either path or pathPrefix, not both",
            "lb.yaml:11: spec.routes[0].redirect.pathPrefix: expected a path starting with \"/\", got \"new\"",
            "lb.yaml:11: spec.routes[0].redirect.pathPrefix: needs every path to be a Prefix, paths[0] is Exact",
            "lb.yaml:11: spec.routes[0].redirect.status: expected one of 301, 302, 303, 307, 308, got 304"),
        rule("a redirect beside what only a forwarded request uses", route("""
                redirect: {status: 308}
                backends: [{name: web}]
                rewrite: {host: a.example.com}
                requestHeaders: {set: {X-A: "1"}}
                responseHeaders: {set: {X-B: "1"}}
                timeout: 5s
                retries: 1
            """),
            "lb.yaml:11: spec.routes[0].backends: not allowed with redirect: the proxy answers the request itself",
            "lb.yaml:12: spec.routes[0].rewrite: not allowed with redirect: the proxy answers the request itself",
            "lb.yaml:13: spec.routes[0].requestHeaders: not allowed with redirect: the proxy answers the request itself",
            "lb.yaml:15: spec.routes[0].timeout: not allowed with redirect: the proxy answers the request itself",
            "lb.yaml:16: spec.routes[0].retries: not allowed with redirect: the proxy answers the request itself"),
        rule("rewrite of every path", route("    rewrite: {pathPrefix: /v2}\n    backends: [{name: web}]\n")),
        rule("timeout and retries", route("    timeout: 0s\n    retries: 11\n    backends: [{name: web}]\n"),
            "lb.yaml:11: spec.routes[0].retries: expected a count from 0 to 10, got 11"),
        rule("timeout 0s is no limit", route("    timeout: 0s\n    backends: [{name: web}]\n")),
        rule("timeout malformed", route("    timeout: 30\n    backends: [{name: web}]\n"),
            "lb.yaml:10: spec.routes[0].timeout: expected a duration such as 500ms, 5s, 1m30s or 1h (0s for none), got \"30\""),
        rule("mirrors with a share and without", route("""
                backends: [{name: web}]
                mirrors: [{backend: api, percent: 33.5}, {backend: api}, {backend: web, percent: 0}]
            """)),
        rule("mirrors naming nothing, out of range, or empty", route("""
                backends: [{name: web}]
                mirrors:
                - {backend: nope, percent: 100.5}
                - {percent: -1}
                -
            """).replace("  backends:\n", "  backends:\n  - {name: down, fixedResponse: {status: 503}}\n")
                .replace("{percent: -1}", "{backend: down, percent: -1}\n    - {percent: 5}"),
            "lb.yaml:12: spec.routes[0].mirrors[0].backend: no backend named \"nope\"",
            "lb.yaml:12: spec.routes[0].mirrors[0].percent: expected a percentage from 0 to 100, got 100.5",
            "lb.yaml:13: spec.routes[0].mirrors[1].backend: backend \"down\" answers with a fixed response, so it has "
                + "no endpoint to send copies to",
            "lb.yaml:13: spec.routes[0].mirrors[1].percent: expected a percentage from 0 to 100, got -1.0",
            "lb.yaml:14: spec.routes[0].mirrors[2].backend: required",
            "lb.yaml:15: spec.routes[0].mirrors[3]: expected a mirror, got an empty entry"),
        rule("mirror percentages that are no number", route("""
                backends: [{name: web}]
                mirrors:
                - {backend: web, percent: abc}
                - {backend: web, percent: true}
                - {backend: web, percent: .nan}
                - {backend: web, percent: "12.5"}
            """),
            "lb.yaml:12: spec.routes[0].mirrors[0].percent: expected a number, got \"abc\"",
            "lb.yaml:13: spec.routes[0].mirrors[1].percent: expected a number, got true",
            "lb.yaml:14: spec.routes[0].mirrors[2].percent: expected a number, got .nan"),
        rule("mirrors beside a redirect", route("""
                redirect: {status: 308}
                mirrors: [{backend: api}]
            """),
            "lb.yaml:11: spec.routes[0].mirrors: not allowed with redirect: the proxy answers the request itself"),
        rule("mirrors on a TLS passthrough listener", doc("""
              listeners:
              - {name: t, port: 443, protocol: TLS}
              routes:
              - name: r
                listeners: [t]
                backends: [{name: web}]
                mirrors: [{backend: api}]
            """),
            "lb.yaml:10: spec.routes[0].listeners[0]: listener \"t\" is TLS passthrough, which routes by host only; "
                + "this route also uses mirrors"));
  }

  static Stream<Arguments> matches() {
    return Stream.of(
        rule("hosts", route("""
                hosts: ["*", "*.com", "a.*.com", "shop.example.com:8080", "", "bad_host.com", "Shop.Example.com", "shop.example.com"]
                backends: [{name: web}]
            """),
            "lb.yaml:10: spec.routes[0].hosts[0]: \"*\" alone is not allowed: leave hosts empty to match any host",
            "lb.yaml:10: spec.routes[0].hosts[2]: expected a host name such as shop.example.com or *.example.com, got \"a.*.com\"",
            "lb.yaml:10: spec.routes[0].hosts[3]: expected a host name without a port (the port is ignored when "
                + "matching), got \"shop.example.com:8080\"",
            "lb.yaml:10: spec.routes[0].hosts[4]: expected a host name such as shop.example.com or *.example.com, got \"\"",
            "lb.yaml:10: spec.routes[0].hosts[5]: expected a host name such as shop.example.com or *.example.com, "
                + "got \"bad_host.com\"",
            "lb.yaml:10: spec.routes[0].hosts[7]: duplicate host \"shop.example.com\", also spec.routes[0].hosts[6]"),
        rule("paths", route("""
                paths:
                - {value: community}
                - {type: Exact, value: "/a b"}
                - {type: Prefix, value: "/a?b=1"}
                - {type: Regex, value: "/(a"}
                - {type: Regex, value: "/ok/.*"}
                - {type: Exact}
                - {value: /x}
                - {type: Prefix, value: /x}
                backends: [{name: web}]
            """),
            "lb.yaml:11: spec.routes[0].paths[0].value: expected a path starting with \"/\", got \"community\"",
            "lb.yaml:12: spec.routes[0].paths[1].value: expected a path without whitespace, '?' or '#', got \"/a b\"",
            "lb.yaml:13: spec.routes[0].paths[2].value: expected a path without whitespace, '?' or '#', got \"/a?b=1\"",
            "lb.yaml:14: spec.routes[0].paths[3].value: invalid regex \"/(a\": unclosed group near index 3",
            "lb.yaml:16: spec.routes[0].paths[5].value: required",
            "lb.yaml:18: spec.routes[0].paths[7]: duplicate path \"Prefix /x\", also spec.routes[0].paths[6]"),
        rule("a regex of more than 1024 characters",
            route("    paths: [{type: Regex, value: /" + "a".repeat(1024) + "}]\n    backends: [{name: web}]\n"),
            "lb.yaml:10: spec.routes[0].paths[0].value: expected a regex of at most 1024 characters, got 1025"),
        rule("methods", route("    methods: [GET, get, FETCH, GET]\n    backends: [{name: web}]\n"),
            "lb.yaml:10: spec.routes[0].methods[1]: expected one of GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, "
                + "TRACE, PATCH, got \"get\"",
            "lb.yaml:10: spec.routes[0].methods[2]: expected one of GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, "
                + "TRACE, PATCH, got \"FETCH\"",
            "lb.yaml:10: spec.routes[0].methods[3]: duplicate method \"GET\", also spec.routes[0].methods[0]"),
        rule("query parameters", route("""
                queryParams:
                - {name: animal, value: whale}
                - {name: Animal, value: "blue whale"}
                - {name: "", value: x}
                - {name: color}
                - {name: size, value: "a\\tb"}
                - {name: animal, value: dolphin}
                backends: [{name: web}]
            """),
            "lb.yaml:13: spec.routes[0].queryParams[2].name: expected a parameter name of printable characters, got \"\"",
            "lb.yaml:14: spec.routes[0].queryParams[3].value: required",
            "lb.yaml:15: spec.routes[0].queryParams[4].value: expected a value without control characters, got \"a\\tb\"",
            "lb.yaml:16: spec.routes[0].queryParams[5].name: duplicate query parameter \"animal\", also "
                + "spec.routes[0].queryParams[0].name"),
        rule("more than 16 query parameters", route("    queryParams: ["
            + String.join(", ", java.util.stream.IntStream.range(0, 17).mapToObj(i -> "{name: p" + i + ", value: v}").toList())
            + "]\n    backends: [{name: web}]\n"),
            "lb.yaml:10: spec.routes[0].queryParams: at most 16 query parameters, got 17"));
  }

  static Stream<Arguments> headers() {
    return Stream.of(
        rule("header matches", route("""
                headers:
                - {name: "X Canary", value: "1"}
                - {name: X-A}
                - {name: x-a, value: "a\\nb"}
                backends: [{name: web}]
            """),
            "lb.yaml:11: spec.routes[0].headers[0].name: expected a header name such as X-Canary (no spaces or "
                + "separators), got \"X Canary\"",
            "lb.yaml:12: spec.routes[0].headers[1].value: required",
            "lb.yaml:13: spec.routes[0].headers[2].value: expected a value without CR, LF or other control "
                + "characters, got \"a\\nb\"",
            "lb.yaml:13: spec.routes[0].headers[2].name: duplicate header \"x-a\", also spec.routes[0].headers[1].name"),
        rule("header changes", route("""
                requestHeaders:
                  set: {Host: api.internal, Connection: close, "Bad Name": x, X-A: null, x-a: "1"}
                  remove: [Host, Transfer-Encoding, X-Debug]
                responseHeaders:
                  set: {Host: x}
                  remove: [Content-Length]
                backends: [{name: web}]
            """),
            "lb.yaml:11: spec.routes[0].requestHeaders.set.Connection: cannot set \"Connection\": the proxy manages "
                + "hop-by-hop and framing headers",
            "lb.yaml:11: spec.routes[0].requestHeaders.set[\"Bad Name\"]: expected a header name such as X-Canary "
                + "(no spaces or separators), got \"Bad Name\"",
            "lb.yaml:11: spec.routes[0].requestHeaders.set.X-A: required",
            "lb.yaml:11: spec.routes[0].requestHeaders.set.x-a: duplicate header \"x-a\", also \"X-A\" (header names "
                + "ignore case)",
            "lb.yaml:12: spec.routes[0].requestHeaders.remove[0]: cannot remove \"Host\": every HTTP/1.1 request needs one",
            "lb.yaml:12: spec.routes[0].requestHeaders.remove[1]: cannot remove \"Transfer-Encoding\": the proxy "
                + "manages hop-by-hop and framing headers",
            "lb.yaml:15: spec.routes[0].responseHeaders.remove[0]: cannot remove \"Content-Length\": the proxy "
                + "manages hop-by-hop and framing headers"),
        rule("header changes of one backend", route("""
                backends:
                - name: web
                  requestHeaders:
                    set: {Connection: close, X-Backend: web}
                    remove: [Host]
            """),
            "lb.yaml:13: spec.routes[0].backends[0].requestHeaders.set.Connection: cannot set \"Connection\": the proxy "
                + "manages hop-by-hop and framing headers",
            "lb.yaml:14: spec.routes[0].backends[0].requestHeaders.remove[0]: cannot remove \"Host\": every HTTP/1.1 "
                + "request needs one"),
        rule("cors", route("""
                cors:
                  allowOrigins: ["https://www.foo.com", "https://*.bar.com", "*", "www.foo.com", "https://www.FOO.com"]
                  allowMethods: [GET, "*"]
                  allowHeaders: [X-A, "Bad Name"]
                  exposeHeaders: [X-B]
                  allowCredentials: true
                  maxAge: -1
                backends: [{name: web}]
            """),
            "lb.yaml:11: spec.routes[0].cors.allowOrigins[3]: expected an origin such as https://example.com, "
                + "https://*.example.com or *, got \"www.foo.com\"",
            "lb.yaml:11: spec.routes[0].cors.allowOrigins[4]: duplicate entry \"https://www.FOO.com\", also "
                + "spec.routes[0].cors.allowOrigins[0]",
            "lb.yaml:12: spec.routes[0].cors.allowMethods: \"*\" allows any, so it must be the only entry",
            "lb.yaml:13: spec.routes[0].cors.allowHeaders[1]: expected a header name such as X-Canary or *, got "
                + "\"Bad Name\"",
            "lb.yaml:16: spec.routes[0].cors.maxAge: expected seconds from 0 to 86400, got -1"),
        rule("header additions", route("""
                requestHeaders:
                  add: {Transfer-Encoding: chunked, "Bad Name": x, X-A: "a\\rb", x-a: "1"}
                backends: [{name: web}]
            """),
            "lb.yaml:11: spec.routes[0].requestHeaders.add.Transfer-Encoding: cannot add \"Transfer-Encoding\": "
                + "the proxy manages hop-by-hop and framing headers",
            "lb.yaml:11: spec.routes[0].requestHeaders.add[\"Bad Name\"]: expected a header name such as X-Canary "
                + "(no spaces or separators), got \"Bad Name\"",
            "lb.yaml:11: spec.routes[0].requestHeaders.add.X-A: expected a value without CR, LF or other control "
                + "characters, got \"a\\rb\"",
            "lb.yaml:11: spec.routes[0].requestHeaders.add.x-a: duplicate header \"x-a\", also \"X-A\" (header names "
                + "ignore case)"));
  }

  static Stream<Arguments> backends() {
    return Stream.of(
        rule("names", doc(HTTP_LISTENER + """
              backends:
              - {name: Web, endpoints: [{address: a.internal, port: 80}]}
              - {name: x, endpoints: [{address: a.internal, port: 80}]}
              - {name: x, endpoints: [{address: a.internal, port: 80}]}
            """).replace(BACKENDS, ""),
            "lb.yaml:9: spec.backends[0].name: expected a DNS-1123 label (lowercase letters, digits and '-', "
                + "at most 63 characters), got \"Web\"",
            "lb.yaml:11: spec.backends[2].name: duplicate name \"x\", also spec.backends[1].name"),
        rule("service or endpoints", doc(HTTP_LISTENER + """
              backends:
              - {name: a, service: {name: a, port: 80}, endpoints: [{address: a.internal, port: 80}]}
              - {name: b}
              - {name: c, service: {name: c, port: http}}
            """).replace(BACKENDS, ""),
            "lb.yaml:9: spec.backends[0]: set either service or endpoints, not both",
            "lb.yaml:10: spec.backends[1]: needs service, endpoints or fixedResponse",
            "lb.yaml:11: spec.backends[2].service: service needs a cluster; use endpoints"),
        rule("fixed responses", doc(HTTP_LISTENER + """
              backends:
              - {name: a, fixedResponse: {status: 500}}
              - {name: b, fixedResponse: {status: 99}}
              - {name: c, fixedResponse: {}}
              - {name: d, fixedResponse: {status: 600}, endpoints: [{address: a.internal, port: 80}], protocol: H2}
              - {name: e, fixedResponse: {status: 503}, healthCheck: {protocol: TCP}, service: {name: e, port: 80}}
            """).replace(BACKENDS, ""),
            "lb.yaml:10: spec.backends[1].fixedResponse.status: expected an HTTP status from 200 to 599, got 99",
            "lb.yaml:11: spec.backends[2].fixedResponse.status: required",
            "lb.yaml:12: spec.backends[3].fixedResponse.status: expected an HTTP status from 200 to 599, got 600",
            "lb.yaml:12: spec.backends[3].endpoints: not allowed with fixedResponse: the proxy answers this backend "
                + "itself",
            "lb.yaml:12: spec.backends[3].protocol: not allowed with fixedResponse: the proxy answers this backend "
                + "itself",
            "lb.yaml:13: spec.backends[4].service: not allowed with fixedResponse: the proxy answers this backend "
                + "itself",
            "lb.yaml:13: spec.backends[4].healthCheck: not allowed with fixedResponse: the proxy answers this backend "
                + "itself"),
        rule("services in a cluster", CLUSTER, doc(HTTP_LISTENER + """
              backends:
              - {name: a, service: {name: a, port: 80}}
              - {name: b, service: {name: b, port: https}}
              - {name: c, service: {name: C, port: 0}}
              - {name: d, service: {name: d, port: http_alt}}
              - {name: e, service: {port: 99999}}
            """).replace(BACKENDS, ""),
            "lb.yaml:11: spec.backends[2].service.name: expected a DNS-1123 label (lowercase letters, digits and '-', "
                + "at most 63 characters), got \"C\"",
            "lb.yaml:11: spec.backends[2].service.port: expected a port number from 1 to 65535 or a port name, got \"0\"",
            "lb.yaml:12: spec.backends[3].service.port: expected a port number from 1 to 65535 or a port name, "
                + "got \"http_alt\"",
            "lb.yaml:13: spec.backends[4].service.name: required",
            "lb.yaml:13: spec.backends[4].service.port: expected a port number from 1 to 65535 or a port name, "
                + "got \"99999\""),
        rule("endpoints", doc(HTTP_LISTENER + """
              backends:
              - name: a
                endpoints:
                - {address: 10.0.0, port: 0, weight: 257}
                - {address: "fd00::1", port: 80}
                - {address: "fd00::1", port: 80}
                - {address: "fd00:::1", port: 80}
                - {address: backend-1.internal, port: 8080, weight: 0}
                - {port: 80}
              - {name: b, endpoints: []}
            """).replace(BACKENDS, ""),
            "lb.yaml:11: spec.backends[0].endpoints[0].address: expected an IP address or a host name, got \"10.0.0\"",
            "lb.yaml:11: spec.backends[0].endpoints[0].port: expected a port from 1 to 65535, got 0",
            "lb.yaml:11: spec.backends[0].endpoints[0].weight: expected a weight from 0 to 256, got 257",
            "lb.yaml:13: spec.backends[0].endpoints[2]: duplicate endpoint \"[fd00::1]:80\", also spec.backends[0].endpoints[1]",
            "lb.yaml:14: spec.backends[0].endpoints[3].address: expected an IP address or a host name, got \"fd00:::1\"",
            "lb.yaml:16: spec.backends[0].endpoints[5].address: required",
            "lb.yaml:17: spec.backends[1].endpoints: at least one endpoint is required"),
        rule("health checks", doc(HTTP_LISTENER + """
              backends:
              - name: a
                endpoints: [{address: a.internal, port: 80}]
                healthCheck: {path: /healthz, interval: 5, timeout: 0s, healthyThreshold: 0, unhealthyThreshold: 101}
                maxConnectionsPerEndpoint: -1
              - name: b
                endpoints: [{address: b.internal, port: 80}]
                healthCheck: {protocol: TCP, path: /healthz}
              - name: c
                endpoints: [{address: c.internal, port: 80}]
                healthCheck: {protocol: HTTP, path: healthz}
            """).replace(BACKENDS, ""),
            "lb.yaml:11: spec.backends[0].healthCheck.protocol: required, one of TCP, HTTP",
            "lb.yaml:11: spec.backends[0].healthCheck.interval: expected a duration such as 500ms, 5s, 1m30s or 1h, got \"5\"",
            "lb.yaml:11: spec.backends[0].healthCheck.timeout: expected a duration greater than 0, got \"0s\"",
            "lb.yaml:11: spec.backends[0].healthCheck.healthyThreshold: expected a threshold from 1 to 100, got 0",
            "lb.yaml:11: spec.backends[0].healthCheck.unhealthyThreshold: expected a threshold from 1 to 100, got 101",
            "lb.yaml:12: spec.backends[0].maxConnectionsPerEndpoint: expected 0 or more, got -1",
            "lb.yaml:15: spec.backends[1].healthCheck.path: only allowed with protocol HTTP",
            "lb.yaml:18: spec.backends[2].healthCheck.path: expected a path starting with \"/\" without whitespace or '#', "
                + "got \"healthz\""));
  }

  static Stream<Arguments> backendTls() {
    return Stream.of(
        rule("a TLS backend verified with a CA bundle, with a client certificate", doc(HTTP_LISTENER + """
              backends:
              - name: a
                endpoints: [{address: a.internal, port: 443}]
                protocol: TLS
                tls:
                  caFile: ca.pem
                  serverName: api.internal
                  subjectAltNames: [api.example.com, "*.api.internal", 10.0.0.7]
                  certificateFile: client.pem
                  keyFile: client.key
              - name: b
                endpoints: [{address: b.internal, port: 443}]
                protocol: TLS
                tls: {insecureSkipVerify: true}
              - name: c
                endpoints: [{address: c.internal, port: 443}]
                protocol: TLS
                tls:
                  caFile: ca.pem
                  serverName: c.internal
                  verifyServerName: false
                  subjectAltNames: ["spiffe://c.example.com/ns/a/sa/c", c.example.com, "fd00::7"]
            """).replace(BACKENDS, "")),
        rule("TLS settings that contradict each other", doc(HTTP_LISTENER + """
              backends:
              - name: a
                endpoints: [{address: a.internal, port: 80}]
                tls: {caFile: ca.pem}
              - name: b
                endpoints: [{address: b.internal, port: 443}]
                protocol: TLS
              - name: c
                endpoints: [{address: c.internal, port: 443}]
                protocol: TLS
                tls: {serverName: c.internal, insecureSkipVerify: false}
              - name: d
                endpoints: [{address: d.internal, port: 443}]
                protocol: TLS
                tls: {caFile: ca.pem, insecureSkipVerify: true, certificateFile: client.pem}
              - name: e
                endpoints: [{address: e.internal, port: 443}]
                protocol: TLS
                tls: {caFile: " ", keyFile: client.key, serverName: "bad name", subjectAltNames: ["*", a_b]}
              - name: f
                endpoints: [{address: f.internal, port: 443}]
                protocol: H3
              - name: g
                endpoints: [{address: g.internal, port: 443}]
                protocol: TLS
                tls: {caFile: ca.pem, serverName: g.internal, verifyServerName: false}
            """).replace(BACKENDS, ""),
            "lb.yaml:9: spec.backends[0]: tls is only allowed with protocol TLS or H2",
            "lb.yaml:12: spec.backends[1].tls: " + NEEDS_CA,
            "lb.yaml:18: spec.backends[2].tls: " + NEEDS_CA,
            "lb.yaml:22: spec.backends[3].tls.insecureSkipVerify: set only one of caFile, caCertificateRefs and "
                + "insecureSkipVerify: true",
            "lb.yaml:22: spec.backends[3].tls.keyFile: certificateFile and keyFile go together",
            "lb.yaml:26: spec.backends[4].tls.caFile: expected a file path, got \" \"",
            "lb.yaml:26: spec.backends[4].tls.certificateFile: certificateFile and keyFile go together",
            "lb.yaml:26: spec.backends[4].tls.serverName: expected a host name, got \"bad name\"",
            "lb.yaml:26: spec.backends[4].tls.subjectAltNames[0]: expected a host name, *.domain, an IP address or "
                + "a URI (scheme:...), got \"*\"",
            "lb.yaml:26: spec.backends[4].tls.subjectAltNames[1]: expected a host name, *.domain, an IP address or "
                + "a URI (scheme:...), got \"a_b\"",
            "lb.yaml:29: spec.backends[5].protocol: unknown value \"H3\", expected one of HTTP1, TLS, H2C, H2",
            "lb.yaml:33: spec.backends[6].tls.verifyServerName: verifyServerName: false needs subjectAltNames, the "
                + "names the certificate must carry instead"),
        rule("TLS backends in a cluster: CA bundles from ConfigMaps and Secrets, a client certificate Secret, "
            + "tls with the protocol left to the Service's appProtocol", CLUSTER, doc(HTTP_LISTENER + """
              backends:
              - name: a
                service: {name: a, port: https}
                protocol: H2
                tls:
                  caCertificateRefs: [{kind: ConfigMap, name: a-ca}, {kind: Secret, name: a-ca, key: extra.pem}]
                  clientCertificateRef: {name: gantry-client}
                  serverName: a.internal
              - name: b
                service: {name: b, port: 443}
                tls: {caCertificateRefs: [{kind: ConfigMap, name: b-ca}]}
            """).replace(BACKENDS, "")),
        rule("backend TLS references standalone, besides files, or without a protocol or a Service", doc(HTTP_LISTENER
            + """
              backends:
              - name: a
                endpoints: [{address: a.internal, port: 443}]
                protocol: TLS
                tls:
                  caCertificateRefs: [{kind: ConfigMap, name: a-ca}]
                  clientCertificateRef: {name: client}
                  certificateFile: client.pem
                  keyFile: client.key
              - name: b
                endpoints: [{address: b.internal, port: 443}]
                tls: {caCertificateRefs: [{kind: ConfigMap, name: b-ca}], insecureSkipVerify: true}
            """).replace(BACKENDS, ""),
            "lb.yaml:13: spec.backends[0].tls.caCertificateRefs: references need a cluster; use caFile",
            "lb.yaml:14: spec.backends[0].tls.clientCertificateRef: set either clientCertificateRef or certificateFile "
                + "and keyFile, not both",
            "lb.yaml:14: spec.backends[0].tls.clientCertificateRef: references need a cluster; use certificateFile "
                + "and keyFile",
            "lb.yaml:17: spec.backends[1]: tls is only allowed with protocol TLS or H2"),
        rule("backend TLS references that contradict or name nothing usable", CLUSTER, doc(HTTP_LISTENER + """
              backends:
              - name: a
                service: {name: a, port: https}
                protocol: TLS
                tls:
                  caCertificateRefs: [{kind: Secret, name: a-ca}]
                  insecureSkipVerify: true
                  clientCertificateRef: {name: No_Such}
              - name: b
                service: {name: b, port: https}
                protocol: TLS
                tls: {caCertificateRefs: []}
            """).replace(BACKENDS, ""),
            "lb.yaml:14: spec.backends[0].tls.insecureSkipVerify: set only one of caFile, caCertificateRefs and "
                + "insecureSkipVerify: true",
            "lb.yaml:15: spec.backends[0].tls.clientCertificateRef.name: expected a Secret name (a DNS-1123 "
                + "subdomain), got \"No_Such\"",
            "lb.yaml:19: spec.backends[1].tls.caCertificateRefs: at least one reference is required"));
  }

  private static final String NEEDS_CA = "a TLS backend needs tls.caFile (tls.caCertificateRefs in a cluster), "
      + "or tls.insecureSkipVerify: true";

  static Stream<Arguments> others() {
    return Stream.of(
        rule("timeouts", doc(HTTP_LISTENER + """
              timeouts:
                connect: 5
                client: 0s
                server: 1m30s
                httpRequest: 1.5s
                tunnel: 100000h
            """),
            "lb.yaml:9: spec.timeouts.connect: expected a duration such as 500ms, 5s, 1m30s or 1h, got \"5\"",
            "lb.yaml:10: spec.timeouts.client: expected a duration greater than 0, got \"0s\"",
            "lb.yaml:12: spec.timeouts.httpRequest: expected a duration such as 500ms, 5s, 1m30s or 1h, got \"1.5s\"",
            "lb.yaml:13: spec.timeouts.tunnel: expected a duration such as 500ms, 5s, 1m30s or 1h, got \"100000h\""),
        rule("replicas in a cluster", CLUSTER, doc(HTTP_LISTENER + "  deployment: {replicas: -1}\n"),
            "lb.yaml:8: spec.deployment.replicas: expected 0 or more, got -1"),
        rule("deployment and service are ignored standalone",
            doc(HTTP_LISTENER + "  deployment: {replicas: -1}\n  service: {type: NodePort}\n")));
  }
}
