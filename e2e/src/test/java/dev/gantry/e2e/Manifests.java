package dev.gantry.e2e;

/** The documents the end-to-end suite applies, as a user would write them. */
final class Manifests {

  /** The echo backend's image, as images.sh and `./mvnw -Pimages` name it. */
  static String backendImage(String tag) {
    return "gantry/e2e-backend:" + tag;
  }

  private Manifests() {
  }

  /** A Deployment of the echo backend answering {@code <name> <path>}, and its Service (http 80, echo 9000). */
  static String backend(String name, String image) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %1$s}
        spec:
          replicas: 1
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s}}
            spec:
              securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
              containers:
              - name: backend
                image: %2$s
                imagePullPolicy: Never
                env: [{name: BACKEND_NAME, value: %1$s}]
                ports: [{containerPort: 8080}, {containerPort: 9000}]
                readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 2}
                securityContext:
                  allowPrivilegeEscalation: false
                  readOnlyRootFilesystem: true
                  capabilities: {drop: [ALL]}
                volumeMounts: [{name: tmp, mountPath: /tmp}]
              volumes: [{name: tmp, emptyDir: {}}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: %1$s}
        spec:
          selector: {app: %1$s}
          ports:
          - {name: http, port: 80, targetPort: 8080}
          - {name: echo, port: 9000, targetPort: 9000}
        """.formatted(name, image);
  }

  /**
   * The load balancer under test: HTTP, HTTPS (the Secret shop-tls) and TCP listeners in front of the alpha
   * and beta backends, two proxies behind a NodePort Service; {@code moreRoutes}, lines of YAML, are
   * appended to its routes.
   */
  static String loadBalancer(String moreRoutes) {
    return """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: shop}
        spec:
          timeouts: {connect: 2s}
          listeners:
          - {name: http, port: 8080, protocol: HTTP, defaultBackend: alpha}
          - name: https
            port: 8443
            protocol: HTTPS
            defaultBackend: alpha
            tls:
              certificates: [{secretName: shop-tls}]
          - {name: echo, port: 9000, protocol: TCP, defaultBackend: echo}
          routes:
          - name: beta
            listeners: [http, https]
            paths: [{type: Prefix, value: /beta}]
            backends: [{name: beta}]
        %s  backends:
          - {name: alpha, service: {name: alpha, port: http}}
          - {name: beta, service: {name: beta, port: http}}
          - {name: echo, service: {name: alpha, port: echo}}
          deployment: {replicas: 2}
          service: {type: NodePort}
        """.formatted(moreRoutes);
  }

  /** The route the suite adds under traffic: everything under /shop to beta. */
  static final String SHOP_ROUTE =
      "  - {name: shop, listeners: [http], paths: [{type: Prefix, value: /shop}], backends: [{name: beta}]}\n";

  /**
   * A LoadBalancer for Ingresses (an HTTP listener, no routes of its own, exposed by NodePort) and the
   * IngressClass that names it.
   */
  static String ingressLoadBalancer(String namespace, String className) {
    return """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: edge, namespace: %1$s}
        spec:
          listeners: [{name: http, port: 8080, protocol: HTTP}]
          deployment: {replicas: 1}
          service: {type: NodePort}
        ---
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata: {name: %2$s}
        spec:
          controller: gantry.dev/ingress-controller
          parameters: {apiGroup: gantry.dev, kind: LoadBalancer, name: edge, scope: Namespace, namespace: %1$s}
        """.formatted(namespace, className);
  }

  /** An Ingress of {@code className}: {@code host}/ to alpha, {@code host}/beta to beta. */
  static String ingress(String className, String host) {
    return """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: shop}
        spec:
          ingressClassName: %1$s
          rules:
          - host: %2$s
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: alpha, port: {name: http}}}}
              - {path: /beta, pathType: Prefix, backend: {service: {name: beta, port: {name: http}}}}
        """.formatted(className, host);
  }

  /** A Service of type LoadBalancer and Gantry's class, in front of alpha's TCP echo on port {@code port}. */
  static String serviceLoadBalancer(int port) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: echo-lb}
        spec:
          type: LoadBalancer
          loadBalancerClass: gantry.dev/lb
          selector: {app: alpha}
          ports: [{name: echo, port: %d, targetPort: 9000}]
        """.formatted(port);
  }
}
