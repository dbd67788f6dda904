package dev.gantry.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** {@code helm template} with values a production install sets. */
class CustomValuesTest {

  @Test
  void watchedNamespacesNarrowThePermissionsToThem() {
    Rendered chart = Chart.render("""
        watchNamespaces: [web, shop, web]
        metrics:
          proxyPodMonitor: {enabled: true}
        """);

    assertThat(chart.operatorArgs()).contains("--namespaces=web,shop");
    assertThat(OperatorFlags.parse(chart.operatorArgs())).containsEntry("--namespaces", "web,shop");
    // no cluster-wide grant of the namespaced rules: one RoleBinding per watched namespace
    assertThat(chart.all("ClusterRoleBinding")).extracting(b -> b.at("/metadata/name").asText())
        .containsExactly("gantry:cluster-scoped");
    assertThat(chart.all("RoleBinding")).extracting(b -> b.at("/metadata/namespace").asText() + "/"
        + b.at("/metadata/name").asText())
        .containsExactlyInAnyOrder("web/gantry", "shop/gantry", "gantry-system/gantry:leader-election");
    JsonNode web = chart.all("RoleBinding").stream().filter(b -> b.at("/metadata/namespace").asText().equals("web"))
        .findFirst().orElseThrow();
    assertThat(web.at("/roleRef/kind").asText()).isEqualTo("ClusterRole");
    assertThat(web.at("/roleRef/name").asText()).isEqualTo("gantry");
    assertThat(Rbac.subjects(web)).containsExactly("ServiceAccount gantry-system/gantry");
    assertThat(Rendered.strings(chart.only("PodMonitor").at("/spec/namespaceSelector/matchNames")))
        .containsExactly("web", "shop");
  }

  @Test
  void imagesFromValues() {
    Rendered chart = Chart.render("""
        image: {repository: team/gantry-operator, tag: "1.2.3", pullPolicy: Always}
        imagePullSecrets: [{name: pull}]
        proxy:
          image:
            repository: team/gantry-proxy
            digest: sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            pullPolicy: Never
          adminPort: 9404
        """);

    assertThat(chart.operatorContainer().path("image").asText()).isEqualTo("team/gantry-operator:1.2.3");
    assertThat(chart.operatorContainer().path("imagePullPolicy").asText()).isEqualTo("Always");
    assertThat(chart.only("Deployment").at("/spec/template/spec/imagePullSecrets/0/name").asText()).isEqualTo("pull");
    assertThat(OperatorFlags.parse(chart.operatorArgs()))
        .containsEntry("--proxy-image",
            "team/gantry-proxy@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
        .containsEntry("--proxy-image-pull-policy", "Never")
        .containsEntry("--proxy-admin-port", "9404");
  }

  @Test
  void withoutLeaderElectionThereIsNoLeaseAndNoLeaseFlag() {
    Rendered chart = Chart.render("leaderElection: {enabled: false}\n");

    assertThat(chart.all("Role")).isEmpty();
    assertThat(chart.all("RoleBinding")).isEmpty();
    assertThat(chart.operatorArgs()).noneMatch(a -> a.startsWith("--leader-election-namespace"));
    // nor POD_NAMESPACE, which the operator would take as the lease namespace
    assertThat(chart.operatorContainer().path("env").toString()).doesNotContain("POD_NAMESPACE");
  }

  @Test
  void schedulingAndResourcesFromValues() {
    Rendered chart = Chart.render("""
        replicaCount: 2
        nodeSelector: {kubernetes.io/os: linux}
        tolerations: [{key: dedicated, operator: Equal, value: infra, effect: NoSchedule}]
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms: [{matchExpressions: [{key: pool, operator: In, values: [infra]}]}]
        topologySpreadConstraints:
          - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule}
        priorityClassName: system-cluster-critical
        resources: {requests: {cpu: 250m, memory: 384Mi}, limits: {memory: 1Gi}}
        podDisruptionBudget: {maxUnavailable: 50%}
        podAnnotations: {team: net}
        podLabels: {tier: control}
        """);

    JsonNode pod = chart.only("Deployment").at("/spec/template");
    assertThat(chart.only("Deployment").at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(pod.at("/spec/nodeSelector/kubernetes.io~1os").asText()).isEqualTo("linux");
    assertThat(pod.at("/spec/tolerations/0/value").asText()).isEqualTo("infra");
    assertThat(pod.at("/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0"
        + "/matchExpressions/0/key").asText()).isEqualTo("pool");
    assertThat(pod.at("/spec/topologySpreadConstraints/0/topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
    assertThat(pod.at("/spec/priorityClassName").asText()).isEqualTo("system-cluster-critical");
    assertThat(pod.at("/spec/containers/0/resources/limits/memory").asText()).isEqualTo("1Gi");
    assertThat(pod.at("/metadata/annotations/team").asText()).isEqualTo("net");
    assertThat(pod.at("/metadata/labels/tier").asText()).isEqualTo("control");
    assertThat(chart.only("PodDisruptionBudget").at("/spec/maxUnavailable").asText()).isEqualTo("50%");
  }

  @Test
  void ingressClassNamesItsLoadBalancer() {
    Rendered chart = Chart.render("""
        ingressClass:
          enabled: true
          name: gantry-public
          default: true
          loadBalancer: {name: public, namespace: edge}
        """);

    JsonNode ingressClass = chart.only("IngressClass");
    assertThat(ingressClass.at("/metadata/name").asText()).isEqualTo("gantry-public");
    assertThat(ingressClass.at("/metadata/annotations/ingressclass.kubernetes.io~1is-default-class").asText())
        .isEqualTo("true");
    assertThat(ingressClass.at("/spec/controller").asText()).isEqualTo("gantry.dev/ingress-controller");
    JsonNode parameters = ingressClass.at("/spec/parameters");
    assertThat(parameters.path("apiGroup").asText()).isEqualTo("gantry.dev");
    assertThat(parameters.path("kind").asText()).isEqualTo("LoadBalancer");
    assertThat(parameters.path("name").asText()).isEqualTo("public");
    assertThat(parameters.path("scope").asText()).isEqualTo("Namespace");
    assertThat(parameters.path("namespace").asText()).isEqualTo("edge");
  }

  @Test
  void ingressClassLoadBalancerDefaultsToTheReleaseNamespace() {
    JsonNode ingressClass = Chart.render("ingressClass: {enabled: true}\n").only("IngressClass");

    assertThat(ingressClass.at("/metadata/name").asText()).isEqualTo("gantry");
    assertThat(ingressClass.at("/metadata/annotations").isMissingNode()).isTrue();
    assertThat(ingressClass.at("/spec/parameters/name").asText()).isEqualTo("gantry");
    assertThat(ingressClass.at("/spec/parameters/namespace").asText()).isEqualTo(Chart.NAMESPACE);
  }

  @Test
  void theIngressClassCanComeWithItsSharedLoadBalancer() {
    Rendered chart = Chart.render("""
        ingressClass:
          enabled: true
          loadBalancer: {name: edge, create: true, httpPort: 8080, httpsPort: 8443, serviceType: NodePort,
                         replicas: 3}
        """);
    JsonNode lb = chart.only("LoadBalancer");
    assertThat(lb.at("/apiVersion").asText()).isEqualTo("gantry.dev/v1alpha1");
    assertThat(lb.at("/metadata/name").asText()).isEqualTo("edge");
    assertThat(lb.at("/metadata/namespace").asText()).isEqualTo(Chart.NAMESPACE);
    assertThat(lb.at("/spec/listeners/0/port").asInt()).isEqualTo(8080);
    assertThat(lb.at("/spec/listeners/0/protocol").asText()).isEqualTo("HTTP");
    assertThat(lb.at("/spec/listeners/1/port").asInt()).isEqualTo(8443);
    assertThat(lb.at("/spec/listeners/1/protocol").asText()).isEqualTo("HTTPS");
    assertThat(lb.at("/spec/service/type").asText()).isEqualTo("NodePort");
    assertThat(lb.at("/spec/deployment/replicas").asInt()).isEqualTo(3);
    assertThat(chart.only("IngressClass").at("/spec/parameters/name").asText()).isEqualTo("edge");
    // Only with the IngressClass, and only when asked.
    assertThat(Chart.render("ingressClass: {enabled: true}\n").all("LoadBalancer")).isEmpty();
    assertThat(Chart.render("ingressClass: {loadBalancer: {create: true}}\n").all("LoadBalancer")).isEmpty();
  }

  @Test
  void monitorsScrapeTheOperatorAndTheProxies() {
    Rendered chart = Chart.render("""
        metrics:
          serviceMonitor: {enabled: true, interval: 15s, labels: {release: prometheus}}
          proxyPodMonitor: {enabled: true}
        """);

    JsonNode monitor = chart.only("ServiceMonitor");
    assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("prometheus");
    assertThat(monitor.at("/spec/selector/matchLabels")).isEqualTo(chart.only("Service").at("/spec/selector"));
    assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("http-metrics");
    assertThat(monitor.at("/spec/endpoints/0/interval").asText()).isEqualTo("15s");
    JsonNode proxies = chart.only("PodMonitor");
    // the labels the operator puts on every fleet's pods, and the port it names "admin"
    assertThat(proxies.at("/spec/selector/matchLabels/app.kubernetes.io~1name").asText()).isEqualTo("gantry-proxy");
    assertThat(proxies.at("/spec/selector/matchLabels/app.kubernetes.io~1managed-by").asText())
        .isEqualTo("gantry-operator");
    assertThat(proxies.at("/spec/namespaceSelector/any").asBoolean()).isTrue();
    assertThat(proxies.at("/spec/podMetricsEndpoints/0/port").asText()).isEqualTo("admin");
  }

  @Test
  void logsAndJvmOptions() {
    Rendered chart = Chart.render("""
        logFormat: json
        logLevel: DEBUG
        jvmOptions: -Xss512k
        """);

    assertThat(OperatorFlags.parse(chart.operatorArgs())).containsEntry("--log-format", "json");
    JsonNode env = chart.operatorContainer().path("env");
    assertThat(env.at("/0/value").asText()).isEqualTo("DEBUG");
    assertThat(env.at("/1/name").asText()).isEqualTo("JAVA_TOOL_OPTIONS");
    assertThat(env.at("/1/value").asText()).isEqualTo("-Xss512k");
  }

  @Test
  void anExistingServiceAccountAndNoRbacOrBudget() {
    Rendered chart = Chart.render("""
        fullnameOverride: edge-lb
        serviceAccount: {create: false, name: platform-operator}
        rbac: {create: false}
        podDisruptionBudget: {enabled: false}
        """);

    assertThat(chart.names()).containsExactlyInAnyOrder("Deployment/edge-lb", "Service/edge-lb");
    assertThat(chart.only("Deployment").at("/spec/template/spec/serviceAccountName").asText())
        .isEqualTo("platform-operator");
  }

  @Test
  void aNamedServiceAccountIsTheOneBound() {
    Rendered chart = Chart.render("serviceAccount: {name: gantry-operator, annotations: {team: net}}\n");

    assertThat(chart.only("ServiceAccount").at("/metadata/name").asText()).isEqualTo("gantry-operator");
    assertThat(chart.only("ServiceAccount").at("/metadata/annotations/team").asText()).isEqualTo("net");
    assertThat(Rbac.subjects(chart.one("ClusterRoleBinding", "gantry")))
        .containsExactly("ServiceAccount gantry-system/gantry-operator");
  }
}
