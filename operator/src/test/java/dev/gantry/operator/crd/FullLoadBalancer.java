package dev.gantry.operator.crd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * A valid LoadBalancer that sets every field of the CRD, status included: each bound's violation is this
 * object with one value changed. The HTTP listener comes first, so lists keyed by name start with it.
 */
final class FullLoadBalancer {

  static final String NAME = "full";

  private static final String YAML = """
      apiVersion: gantry.dev/v1alpha1
      kind: LoadBalancer
      metadata:
        name: full
      spec:
        timeouts: {connect: 5s, client: 50s, server: 50s, httpRequest: 10s, tunnel: 1h}
        listeners:
        - name: http
          port: 8080
          protocol: HTTP
          defaultBackend: forum
          redirectToHttps: https
        - name: https
          port: 8443
          protocol: HTTPS
          tls:
            certificates:
            - secretName: shop-tls
            - certFile: certs/shop.pem
              keyFile: certs/shop.key
            minVersion: "1.2"
            alpn: [h2, http/1.1]
            sniHosts: [shop.example.com, "*.example.com"]
            clientCertificates: {mode: Require, caFile: certs/clients.pem, depth: 2, crlFile: certs/clients.crl,
              forward: true}
        - name: db
          port: 5432
          protocol: TCP
          defaultBackend: postgres
        - name: mtls
          port: 9443
          protocol: HTTPS
          defaultBackend: grpc
          tls:
            certificates:
            - secretName: shop-tls
            clientCertificates:
              mode: Optional
              caCertificateRefs:
              - {kind: Secret, name: client-ca, key: ca.crt}
              crlRef: {kind: ConfigMap, name: client-ca, key: ca.crl}
        routes:
        - name: community
          listeners: [http, https]
          hosts: [shop.example.com, "*.example.com"]
          paths:
          - {type: Prefix, value: /community}
          headers:
          - {name: X-Canary, value: "1"}
          methods: [GET, POST]
          backends:
          - name: forum
            weight: 90
            requestHeaders: {set: {X-Pool: forum}, add: {X-Via: forum}, remove: [X-Canary]}
          - {name: forum-next, weight: 10}
          rewrite: {pathPrefix: /}
          requestHeaders:
            set: {X-Env: prod}
            add: {X-Via: gantry}
            remove: [X-Debug]
          responseHeaders:
            set: {Strict-Transport-Security: max-age=31536000}
            add: {Vary: Accept-Encoding}
            remove: [Server]
          timeout: 30s
          retries: 2
          cors:
            allowOrigins: ["https://shop.example.com", "https://*.example.com"]
            allowMethods: [GET, POST]
            allowHeaders: [X-Canary]
            exposeHeaders: [X-Request-Id]
            allowCredentials: true
            maxAge: 600
          mirrors:
          - {backend: forum-next, percent: 12.5}
          sessionPersistence: {type: Cookie, name: SERVERID, absoluteTimeout: 8h, idleTimeout: 30m, lifetime: Permanent}
        - name: search
          listeners: [http]
          paths:
          - {type: Prefix, value: /search}
          queryParams:
          - {name: animal, value: whale}
          backends:
          - {name: forum}
          rewrite: {path: /find, host: search.internal}
        - name: moved
          paths:
          - {type: Prefix, value: /old}
          redirect: {scheme: https, host: shop.example.com, port: 8443, pathPrefix: /new, status: 301}
          responseHeaders:
            set: {Cache-Control: no-store}
        - name: gone
          paths:
          - {type: Exact, value: /gone}
          redirect: {path: /}
        backends:
        - name: forum
          service: {name: forum, port: http}
          balance: RoundRobin
          healthCheck:
            protocol: HTTP
            path: /healthz
            interval: 5s
            timeout: 2s
            healthyThreshold: 2
            unhealthyThreshold: 3
          maxConnectionsPerEndpoint: 100
          proxyProtocol: None
        - name: postgres
          endpoints:
          - {address: 10.0.0.12, port: 5432, weight: 1}
          proxyProtocol: V2
        - name: payments
          endpoints:
          - {address: 10.0.0.13, port: 8443}
          protocol: TLS
          tls:
            caFile: certs/backend-ca.pem
            serverName: payments.internal
            verifyServerName: true
            subjectAltNames: [payments.example.com]
            certificateFile: certs/client.pem
            keyFile: certs/client.key
            insecureSkipVerify: false
        - name: grpc
          service: {name: grpc, port: grpc}
          protocol: H2
          tls:
            caCertificateRefs:
            - {kind: ConfigMap, name: grpc-ca, key: ca.crt}
            clientCertificateRef: {name: gantry-client}
        - name: invalid
          fixedResponse: {status: 500}
        deployment:
          replicas: 2
          resources:
            requests: {cpu: 100m}
            limits: {memory: 256Mi}
          nodeSelector: {kubernetes.io/os: linux}
          tolerations:
          - {key: dedicated, operator: Equal, value: edge, effect: NoSchedule, tolerationSeconds: 300}
        service:
          type: LoadBalancer
          annotations: {example.com/team: edge}
          addresses: [198.19.0.20, "fd00::20"]
        infrastructure:
          labels: {example.com/cost-center: edge}
          annotations: {example.com/owner: platform-team}
      status:
        observedGeneration: 1
        conditions:
        - type: Accepted
          status: "True"
          observedGeneration: 1
          lastTransitionTime: "2026-01-01T00:00:00Z"
          reason: Accepted
          message: every reference resolved
        addresses:
        - {type: IPAddress, value: 203.0.113.7}
        listeners:
        - {name: https, attachedRoutes: 1}
        backends:
        - {name: forum, endpoints: 3, healthyEndpoints: 3}
        readyReplicas: 2
      """;

  private FullLoadBalancer() {
  }

  /** A fresh copy, to change at will. */
  static ObjectNode object() {
    try {
      return (ObjectNode) new YAMLMapper().readTree(YAML);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The object without its status: what a user applies. */
  static ObjectNode spec() {
    ObjectNode lb = object();
    lb.remove("status");
    return lb;
  }
}
