package dev.gantry.model;

/** Documents shared by the tests, built in code. */
final class Fixtures {

  /**
   * The API reference's example, with the two backends it names but does not define ("forum-next",
   * "fallback") added, so that it is valid in a cluster.
   */
  static final String SHOP_YAML = """
      apiVersion: gantry.dev/v1alpha1
      kind: LoadBalancer                # plural loadbalancers, short name lb, namespaced
      metadata:
        name: shop
        namespace: web
      spec:
        timeouts:                       # defaults for the whole load balancer ("defaults" section)
          connect: 5s
          client: 50s
          server: 50s
          httpRequest: 10s
          tunnel: 1h
        listeners:                      # 1..64, unique name and port
        - name: http
          port: 8080
          protocol: HTTP                # HTTP | HTTPS | TCP | TLS
          redirectToHttps: https
        - name: https
          port: 8443
          protocol: HTTPS
          tls:
            certificates:               # chosen by SNI; the first one is the default
            - secretName: shop-tls
            - certFile: certs/a.pem
              keyFile: certs/a.key
            minVersion: "1.2"
            alpn: [h2, http/1.1]
        - name: db
          port: 5432
          protocol: TCP
          defaultBackend: postgres
        - name: mail-tls
          port: 9443
          protocol: TLS
          defaultBackend: fallback
        routes:
        - name: community
          listeners: [https]
          hosts: ["shop.example.com", "*.example.com"]
          paths:
          - type: Prefix
            value: /community
          headers:
          - name: X-Canary
            value: "1"
          methods: [GET, POST]
          backends:
          - name: forum
            weight: 90
          - name: forum-next
            weight: 10
          rewrite:
            pathPrefix: /
          requestHeaders:
            set: { X-Env: prod }
            add: { X-Via: gantry }
            remove: [X-Debug]
          responseHeaders:
            set: { Strict-Transport-Security: "max-age=31536000" }
          timeout: 30s
          retries: 2
        backends:
        - name: forum
          service:
            name: forum
            port: 8080                  # port number or name
          balance: RoundRobin
          healthCheck:
            protocol: HTTP
            path: /healthz
            interval: 5s
            timeout: 2s
            healthyThreshold: 2
            unhealthyThreshold: 3
          maxConnectionsPerEndpoint: 0
        - name: forum-next
          service: { name: forum-next, port: http }
        - name: fallback
          endpoints:
          - address: fd00::12
            port: 9443
          protocol: TLS
          tls:
            caFile: certs/backend-ca.pem
            serverName: fallback.internal
            subjectAltNames: [fallback.example.com]
            certificateFile: certs/client.pem
            keyFile: certs/client.key
            insecureSkipVerify: false
        - name: postgres
          endpoints:
          - address: 10.0.0.12
            port: 5432
            weight: 1
          proxyProtocol: None
        deployment:
          replicas: 2
          resources: {}
          nodeSelector: {}
          tolerations: []
        service:
          type: LoadBalancer
          annotations: {}
      status:
        observedGeneration: 3
        conditions:
        - type: Accepted
        - type: Programmed
        - type: Ready
        addresses:
        - type: IPAddress
          value: 203.0.113.7
        listeners:
        - name: https
          attachedRoutes: 1
        backends:
        - name: forum
          endpoints: 3
          healthyEndpoints: 3
        readyReplicas: 2
      """;

  /** The same document written by hand as JSON, with quoted numbers where YAML users would quote them. */
  static final String SHOP_JSON = """
      {
        "apiVersion": "gantry.dev/v1alpha1",
        "kind": "LoadBalancer",
        "metadata": {"name": "shop", "namespace": "web"},
        "spec": {
          "timeouts": {"connect": "5s", "client": "50s", "server": "50s", "httpRequest": "10s", "tunnel": "1h"},
          "listeners": [
            {"name": "http", "port": 8080, "protocol": "HTTP", "redirectToHttps": "https"},
            {"name": "https", "port": "8443", "protocol": "HTTPS", "tls": {
              "certificates": [{"secretName": "shop-tls"}, {"certFile": "certs/a.pem", "keyFile": "certs/a.key"}],
              "minVersion": "1.2", "alpn": ["h2", "http/1.1"]}},
            {"name": "db", "port": 5432, "protocol": "TCP", "defaultBackend": "postgres"},
            {"name": "mail-tls", "port": 9443, "protocol": "TLS", "defaultBackend": "fallback"}
          ],
          "routes": [{
            "name": "community",
            "listeners": ["https"],
            "hosts": ["shop.example.com", "*.example.com"],
            "paths": [{"type": "Prefix", "value": "/community"}],
            "headers": [{"name": "X-Canary", "value": "1"}],
            "methods": ["GET", "POST"],
            "backends": [{"name": "forum", "weight": 90}, {"name": "forum-next", "weight": 10}],
            "rewrite": {"pathPrefix": "/"},
            "requestHeaders": {"set": {"X-Env": "prod"}, "add": {"X-Via": "gantry"}, "remove": ["X-Debug"]},
            "responseHeaders": {"set": {"Strict-Transport-Security": "max-age=31536000"}},
            "timeout": "30s",
            "retries": 2
          }],
          "backends": [
            {"name": "forum", "service": {"name": "forum", "port": 8080}, "balance": "RoundRobin",
             "healthCheck": {"protocol": "HTTP", "path": "/healthz", "interval": "5s", "timeout": "2s",
                             "healthyThreshold": 2, "unhealthyThreshold": 3},
             "maxConnectionsPerEndpoint": 0},
            {"name": "forum-next", "service": {"name": "forum-next", "port": "http"}},
            {"name": "fallback", "endpoints": [{"address": "fd00::12", "port": 9443}], "protocol": "TLS",
             "tls": {"caFile": "certs/backend-ca.pem", "serverName": "fallback.internal",
                     "subjectAltNames": ["fallback.example.com"], "certificateFile": "certs/client.pem",
                     "keyFile": "certs/client.key", "insecureSkipVerify": false}},
            {"name": "postgres", "endpoints": [{"address": "10.0.0.12", "port": 5432, "weight": 1}],
             "proxyProtocol": "None"}
          ],
          "deployment": {"replicas": 2, "resources": {}, "nodeSelector": {}, "tolerations": []},
          "service": {"type": "LoadBalancer", "annotations": {}}
        },
        "status": {
          "observedGeneration": 3,
          "conditions": [{"type": "Accepted"}, {"type": "Programmed"}, {"type": "Ready"}],
          "addresses": [{"type": "IPAddress", "value": "203.0.113.7"}],
          "listeners": [{"name": "https", "attachedRoutes": 1}],
          "backends": [{"name": "forum", "endpoints": 3, "healthyEndpoints": 3}],
          "readyReplicas": 2
        }
      }
      """;

  /** A small valid standalone document: 5 header lines, then the spec body from line 6. */
  static final String HEADER = """
      apiVersion: gantry.dev/v1alpha1
      kind: LoadBalancer
      metadata:
        name: shop
      spec:
      """;

  /** Backends that make a spec body valid; appended after it so that the body's line numbers stay put. */
  static final String BACKENDS = """
        backends:
        - name: web
          endpoints: [{address: 10.0.0.1, port: 80}]
        - name: api
          endpoints: [{address: 10.0.0.2, port: 80}]
      """;

  static final String HTTP_LISTENER = """
        listeners:
        - {name: http, port: 8080, protocol: HTTP}
      """;

  private Fixtures() {
  }

  /** A standalone document: header, then {@code body} from line 6, then {@link #BACKENDS}. */
  static String doc(String body) {
    return HEADER + body + BACKENDS;
  }

  /** A document with metadata.name {@code name} and one HTTP listener on {@code port}. */
  static String small(String name, int port) {
    return HEADER.replace("name: shop", "name: " + name)
        + "  listeners:\n  - {name: http, port: " + port + ", protocol: HTTP, defaultBackend: web}\n" + BACKENDS;
  }
}
