package dev.gantry.operator.crd;

import java.util.List;

/**
 * For each CEL rule of the CRD, the smallest LoadBalancer spec that breaks it and nothing else. A rule is
 * known by where it sits and its message; {@code at} is the place of the object the rule is checked on,
 * so the server must name {@code at} plus the rule's {@code fieldPath}.
 */
final class CelRuleCases {

  record CelCase(String schemaPath, String message, String at, String spec) {
  }

  static final List<CelCase> ALL = List.of(
      new CelCase("spec", "a route cannot name a TCP listener: TCP listeners take no routes, only a defaultBackend",
          "spec", """
          listeners: [{name: db, port: 5432, protocol: TCP, defaultBackend: postgres}]
          routes: [{name: r, listeners: [db], backends: [{name: postgres}]}]
          """),
      new CelCase("spec.listeners", "listener ports must be unique", "spec.listeners", """
          listeners:
          - {name: a, port: 8080, protocol: HTTP}
          - {name: b, port: 8080, protocol: HTTP}
          """),
      new CelCase("spec.listeners[]", "a TCP listener needs a defaultBackend, since it takes no routes",
          "spec.listeners[0]", """
          listeners: [{name: db, port: 5432, protocol: TCP}]
          """),
      new CelCase("spec.listeners[]", "tls is only allowed on HTTPS and TLS listeners", "spec.listeners[0]", """
          listeners: [{name: web, port: 8080, protocol: HTTP, tls: {minVersion: "1.3"}}]
          """),
      new CelCase("spec.listeners[]", "tls on a TLS listener terminates TLS and needs certificates",
          "spec.listeners[0]", """
          listeners: [{name: db, port: 5432, protocol: TLS, defaultBackend: web, tls: {minVersion: "1.3"}}]
          """),
      new CelCase("spec.listeners[]", "alpn, clientCertificates and sniHosts are only allowed on HTTPS listeners",
          "spec.listeners[0]", """
          listeners:
          - name: db
            port: 5432
            protocol: TLS
            defaultBackend: web
            tls: {certificates: [{secretName: db-cert}], alpn: [h2]}
          """),
      new CelCase("spec.listeners[]", "redirectToHttps is only allowed on HTTP listeners", "spec.listeners[0]", """
          listeners: [{name: web, port: 8443, protocol: HTTPS, redirectToHttps: web}]
          """),
      new CelCase("spec.listeners[].tls.certificates[]", "set either secretName, or certFile and keyFile",
          "spec.listeners[0].tls.certificates[0]", """
          listeners:
          - name: web
            port: 8443
            protocol: HTTPS
            tls: {certificates: [{secretName: web-tls, certFile: web.pem, keyFile: web.key}]}
          """),
      new CelCase("spec.listeners[].tls.certificates[]", "certFile and keyFile go together",
          "spec.listeners[0].tls.certificates[0]", """
          listeners: [{name: web, port: 8443, protocol: HTTPS, tls: {certificates: [{certFile: web.pem}]}}]
          """),
      new CelCase("spec.routes[].paths[]", "Exact and Prefix paths start with '/'", "spec.routes[0].paths[0]", """
          listeners: [{name: web, port: 8080, protocol: HTTP}]
          routes: [{name: r, paths: [{type: Exact, value: index.html}], backends: [{name: site}]}]
          """),
      new CelCase("spec.routes[].backends", "at least one backend needs a weight above 0", "spec.routes[0].backends",
          """
          listeners: [{name: web, port: 8080, protocol: HTTP}]
          routes: [{name: r, backends: [{name: site, weight: 0}]}]
          """),
      new CelCase("spec.routes[]", "rewrite.pathPrefix needs every path to be a Prefix", "spec.routes[0]", """
          listeners: [{name: web, port: 8080, protocol: HTTP}]
          routes:
          - {name: r, paths: [{type: Exact, value: /old}], rewrite: {pathPrefix: /new}, backends: [{name: site}]}
          """),
      new CelCase("spec.routes[]", "a route needs backends, or a redirect instead of them", "spec.routes[0]", """
          listeners: [{name: web, port: 8080, protocol: HTTP}]
          routes: [{name: r, paths: [{value: /a}]}]
          """),
      new CelCase("spec.routes[]", "a redirect is answered by the proxy: it takes no rewrite, requestHeaders, "
          + "timeout, retries or mirrors", "spec.routes[0]", """
          listeners: [{name: web, port: 8080, protocol: HTTP}]
          routes: [{name: r, redirect: {scheme: https}, timeout: 5s}]
          """),
      new CelCase("spec.routes[].sessionPersistence", "only a Cookie session has a lifetime",
          "spec.routes[0].sessionPersistence", """
          listeners: [{name: web, port: 8080, protocol: HTTP}]
          routes: [{name: r, backends: [{name: site}], sessionPersistence: {type: Header, lifetime: Session}}]
          """),
      new CelCase("spec.routes[].sessionPersistence", "a Permanent cookie needs absoluteTimeout, which sets its Max-Age",
          "spec.routes[0].sessionPersistence", """
          listeners: [{name: web, port: 8080, protocol: HTTP}]
          routes: [{name: r, backends: [{name: site}], sessionPersistence: {lifetime: Permanent}}]
          """),
      new CelCase("spec.routes[].rewrite", "a rewrite needs pathPrefix, path or host", "spec.routes[0].rewrite", """
          listeners: [{name: web, port: 8080, protocol: HTTP}]
          routes: [{name: r, rewrite: {}, backends: [{name: site}]}]
          """),
      new CelCase("spec.routes[].rewrite", "set either path or pathPrefix, not both", "spec.routes[0].rewrite", """
          listeners: [{name: web, port: 8080, protocol: HTTP}]
          routes: [{name: r, rewrite: {path: /a, pathPrefix: /b}, backends: [{name: site}]}]
          """),
      new CelCase("spec.routes[].redirect", "set either path or pathPrefix, not both", "spec.routes[0].redirect", """
          listeners: [{name: web, port: 8080, protocol: HTTP}]
          routes: [{name: r, redirect: {path: /a, pathPrefix: /b}}]
          """),
      new CelCase("spec.routes[].redirect", "status must be one of 301, 302, 303, 307, 308",
          "spec.routes[0].redirect", """
          listeners: [{name: web, port: 8080, protocol: HTTP}]
          routes: [{name: r, redirect: {status: 304}}]
          """),
      new CelCase("spec.routes[]", "redirect.pathPrefix needs every path to be a Prefix", "spec.routes[0]", """
          listeners: [{name: web, port: 8080, protocol: HTTP}]
          routes: [{name: r, paths: [{type: Exact, value: /old}], redirect: {pathPrefix: /new}}]
          """),
      new CelCase("spec.backends[]", "set one of service, endpoints and fixedResponse", "spec.backends[0]", """
          listeners: [{name: web, port: 8080, protocol: HTTP}]
          backends: [{name: site, fixedResponse: {status: 500}, endpoints: [{address: a.internal, port: 80}]}]
          """),
      new CelCase("spec.backends[]", "a fixedResponse backend is answered by the proxy: it takes no healthCheck, tls, "
          + "protocol, proxyProtocol or maxConnectionsPerEndpoint", "spec.backends[0]", """
          listeners: [{name: web, port: 8080, protocol: HTTP}]
          backends: [{name: site, fixedResponse: {status: 500}, protocol: H2C}]
          """),
      new CelCase("spec.backends[].healthCheck", "path is only allowed with protocol HTTP",
          "spec.backends[0].healthCheck", """
          listeners: [{name: db, port: 5432, protocol: TCP, defaultBackend: postgres}]
          backends:
          - name: postgres
            endpoints: [{address: 10.0.0.12, port: 5432}]
            healthCheck: {protocol: TCP, path: /healthz}
          """),
      new CelCase("spec.backends[]",
          "tls is only allowed with protocol TLS or H2, or on a Service backend that takes its protocol from appProtocol",
          "spec.backends[0]", """
          listeners: [{name: web, port: 8080, protocol: HTTP}]
          backends: [{name: site, endpoints: [{address: 10.0.0.12, port: 80}], tls: {caFile: ca.pem}}]
          """),
      new CelCase("spec.backends[]", "a TLS backend needs tls.caFile or tls.caCertificateRefs, or "
          + "tls.insecureSkipVerify: true", "spec.backends[0]", """
          listeners: [{name: web, port: 8080, protocol: HTTP}]
          backends: [{name: site, endpoints: [{address: 10.0.0.12, port: 443}], protocol: H2}]
          """),
      new CelCase("spec.backends[].tls", "set only one of caFile, caCertificateRefs and insecureSkipVerify: true",
          "spec.backends[0].tls", """
          listeners: [{name: web, port: 8080, protocol: HTTP}]
          backends:
          - name: site
            service: {name: site, port: 443}
            protocol: TLS
            tls: {caCertificateRefs: [{kind: ConfigMap, name: site-ca}], insecureSkipVerify: true}
          """),
      new CelCase("spec.backends[].tls", "certificateFile and keyFile go together", "spec.backends[0].tls", """
          listeners: [{name: web, port: 8080, protocol: HTTP}]
          backends:
          - name: site
            endpoints: [{address: 10.0.0.12, port: 443}]
            protocol: TLS
            tls: {caFile: ca.pem, keyFile: client.key}
          """),
      new CelCase("spec.backends[].tls", "set either clientCertificateRef, or certificateFile and keyFile",
          "spec.backends[0].tls", """
          listeners: [{name: web, port: 8080, protocol: HTTP}]
          backends:
          - name: site
            service: {name: site, port: 443}
            protocol: TLS
            tls:
              caCertificateRefs: [{kind: Secret, name: site-ca}]
              clientCertificateRef: {name: client}
              certificateFile: client.pem
              keyFile: client.key
          """),
      new CelCase("spec.listeners[].tls.clientCertificates", "set either caFile (standalone) or caCertificateRefs "
          + "(cluster)", "spec.listeners[0].tls.clientCertificates", """
          listeners:
          - name: web
            port: 8443
            protocol: HTTPS
            tls: {clientCertificates: {mode: Require}}
          """),
      new CelCase("spec.listeners[].tls.clientCertificates", "set either crlFile or crlRef, not both",
          "spec.listeners[0].tls.clientCertificates", """
          listeners:
          - name: web
            port: 8443
            protocol: HTTPS
            tls:
              clientCertificates:
                mode: Require
                caCertificateRefs: [{kind: ConfigMap, name: client-ca}]
                crlFile: ca.crl
                crlRef: {kind: ConfigMap, name: client-ca}
          """));

  private CelRuleCases() {
  }

  /** The whole LoadBalancer of a case, named after its position. */
  static String object(CelCase c, int index) {
    return "apiVersion: gantry.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: cel-case-" + index + "}\nspec:\n"
        + c.spec().indent(2);
  }
}
