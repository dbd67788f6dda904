import com.marcnuri.helm.Helm;
import dev.gantry.model.LoadBalancerStatus;
import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.testing.Cluster;
import dev.gantry.operator.testing.ControlPlane;
import dev.gantry.operator.testing.LocalAddresses;
import dev.gantry.operator.testing.PodProcess;
import dev.gantry.operator.testing.Traffic;
import dev.gantry.operator.translate.FleetSettings;
import dev.gantry.proxy.testing.TestBackend;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The operator at scale on the real control plane (etcd, kube-apiserver, controller-manager, scheduler from
 * e2e/cluster, started as the operator's integration tests start it): LOADBALANCERS LoadBalancers spread over
 * NAMESPACES namespaces, each namespace with one selector-less Service and its EndpointSlice that every
 * LoadBalancer there routes to. Prints how long the operator takes to reconcile them all from a cold start, its
 * heap (used after a full GC, less what the harness held before it started), and how long one change takes
 * to reach the model ConfigMap the proxies read: a LoadBalancer edited, and an EndpointSlice that every
 * LoadBalancer of its namespace uses. Then one LoadBalancer's proxy pod is run as its kubelet would run it
 * ({@link PodProcess}, on an address of the tests' own device, its Service's endpoint a real backend), and
 * edits of that LoadBalancer are timed from the apply to the first request the pod routes by them.
 *
 * <p>Run by bench/operator-scale.sh (it builds the classpath); not part of any test run.
 */
public final class OperatorScale {

  static final int LOADBALANCERS = Integer.getInteger("lbs", 1000);
  static final int NAMESPACES = Integer.getInteger("namespaces", 10);
  static final int ROUNDS = Integer.getInteger("rounds", 5);
  static final Path DIR = Path.of(System.getProperty("dir", "/tmp/gantry-operator-scale"));

  public static void main(String[] args) throws Exception {
    long t = System.nanoTime();
    try (ControlPlane controlPlane = ControlPlane.start(DIR.resolve("control-plane"))) {
      say("control plane up in %d ms (%s)", ms(t), controlPlane.binaries());
      install(controlPlane);
      run(controlPlane);
    }
  }

  /** CRDs applied server-side and the Helm chart installed, as a user installs Gantry (and as the ITs do). */
  static void install(ControlPlane controlPlane) throws InterruptedException {
    Path root = ControlPlane.scripts().getParent().getParent();
    controlPlane.kubectl("apply", "--server-side", "-f", root.resolve("crds").toString());
    // kubectl wait fails at once while the new CRD has no conditions yet: asked again until it has
    for (int i = 0; controlPlane.kubectlResult("wait", "--for=condition=Established", "--timeout=60s",
        "crd/loadbalancers.gantry.dev").exitCode() != 0; i++) {
      if (i == 30) {
        throw new IllegalStateException("the LoadBalancer CRD was not established");
      }
      Thread.sleep(1000);
    }
    new Helm(root.resolve("charts").resolve("gantry")).install().withKubeConfig(controlPlane.kubeconfig())
        .withName("gantry").withNamespace("gantry-system").createNamespace().call();
  }

  static void run(ControlPlane controlPlane) throws Exception {
    List<Cluster> namespaces = new ArrayList<>();
    for (int n = 0; n < NAMESPACES; n++) {
      Cluster c = Cluster.inNewNamespace(controlPlane, "scale" + n);
      c.service("web", 80, "http", 8080);
      c.endpoints("web", "http", 8080, List.of("10.1." + n + ".1", "10.1." + n + ".2"), List.of());
      namespaces.add(c);
    }
    long t = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> created = new ArrayList<>();
    for (int i = 0; i < LOADBALANCERS; i++) {
      int lb = i;
      created.add(pool.submit(() -> namespaces.get(lb % NAMESPACES).apply(loadBalancer(lb, "app"))));
    }
    for (Future<?> f : created) {
      f.get();
    }
    pool.shutdown();
    say("%d LoadBalancers in %d namespaces created in %d ms", LOADBALANCERS, NAMESPACES, ms(t));

    long before = heapAfterGc();
    KubernetesClient operatorClient = controlPlane.asServiceAccount("gantry-system", "gantry");
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    t = System.nanoTime();
    GantryOperator operator = new GantryOperator(new GantryOperator.Config(operatorClient, Set.of(),
        new FleetSettings("gantry/proxy:test", "IfNotPresent", FleetSettings.DEFAULT_ADMIN_PORT), Optional.empty(),
        meters, true)).start();
    try {
      say("operator started (informers synced) in %d ms", ms(t));
      KubernetesClient admin = controlPlane.admin();
      int done = 0;
      while (done < LOADBALANCERS) {
        Thread.sleep(500);
        int now = reconciled(admin);
        if (now != done) {
          say("  %5d ms: %d of %d reconciled", ms(t), now, LOADBALANCERS);
          done = now;
        }
      }
      say("RESULT all %d LoadBalancers reconciled (status.observedGeneration current) %d ms after the operator "
          + "started", LOADBALANCERS, ms(t));
      timers(meters);
      Thread.sleep(5000);
      long after = heapAfterGc();
      say("RESULT operator heap, used after full GC: %d MiB (harness JVM %d MiB, of which %d MiB before the "
          + "operator started)", (after - before) >> 20, after >> 20, before >> 20);

      List<Long> edits = new ArrayList<>();
      for (int r = 0; r < ROUNDS; r++) {
        int lb = (LOADBALANCERS / 2 + r * 97) % LOADBALANCERS;
        Cluster c = namespaces.get(lb % NAMESPACES);
        String host = "edit" + r;
        t = System.nanoTime();
        c.apply(loadBalancer(lb, host));
        while (!model(c, lb).contains(host + "-" + lb + ".example.com")) {
          Thread.sleep(10);
        }
        edits.add(ms(t));
        say("  edit %d: lb-%d's model ConfigMap changed %d ms after the apply", r, lb, ms(t));
        Thread.sleep(1000);
      }
      say("RESULT one LoadBalancer edited to its model ConfigMap: median %d ms, min %d, max %d (%d edits)",
          median(edits), edits.stream().mapToLong(Long::longValue).min().orElse(0),
          edits.stream().mapToLong(Long::longValue).max().orElse(0), edits.size());

      editsToTraffic(controlPlane, namespaces);

      Cluster first = namespaces.get(0);
      int fanOut = (LOADBALANCERS + NAMESPACES - 1) / NAMESPACES;
      t = System.nanoTime();
      first.endpoints("web", "http", 8080, List.of("10.1.0.1", "10.1.0.2", "10.9.9.9"), List.of());
      long firstSeen = -1;
      int seen = 0;
      while (seen < fanOut) {
        Thread.sleep(50);
        seen = (int) admin.configMaps().inNamespace(first.namespace()).list().getItems().stream()
            .filter(cm -> cm.getMetadata().getName().endsWith("-model") && cm.getData().toString().contains("10.9.9.9"))
            .count();
        if (seen > 0 && firstSeen < 0) {
          firstSeen = ms(t);
        }
      }
      say("RESULT one EndpointSlice used by %d LoadBalancers changed: first model ConfigMap %d ms, all %d ms",
          fanOut, firstSeen, ms(t));
    } finally {
      operator.close();
      operatorClient.close();
    }
  }

  /**
   * The last LoadBalancer's proxy pod run here, and edits of its route's host timed from the apply to the first
   * request with the new host that reaches the backend through the pod (the pod reads its model ConfigMap from
   * the API server, as in a cluster).
   */
  static void editsToTraffic(ControlPlane controlPlane, List<Cluster> namespaces) throws Exception {
    int lb = LOADBALANCERS - 1;
    Cluster c = namespaces.get(lb % NAMESPACES);
    try (LocalAddresses addresses = LocalAddresses.create()) {
      String backendIp = addresses.address(10);
      String podIp = addresses.address(20);
      try (TestBackend backend = TestBackend.start("web", backendIp, 0)) {
        c.endpoints("web", "http", backend.port(), List.of(backendIp), List.of());
        long t = System.nanoTime();
        try (PodProcess pod = PodProcess.runFleetPod(controlPlane, c, "gantry-lb-" + lb, podIp,
            addresses.address(1))) {
          say("  lb-%d's proxy pod ready at %s %d ms after it was asked for", lb, podIp, ms(t));
          List<Long> times = new ArrayList<>();
          for (int r = 0; r < ROUNDS; r++) {
            String host = "traffic" + r;
            try (Traffic traffic = new Traffic(podIp, 8080, host + "-" + lb + ".example.com")) {
              t = System.nanoTime();
              c.apply(loadBalancer(lb, host));
              while (!answer(traffic).equals("200 web")) {
                Thread.sleep(5);
              }
              times.add(ms(t));
              say("  edit %d: lb-%d's pod routed %s-%d.example.com %d ms after the apply", r, lb, host, lb, ms(t));
            }
            Thread.sleep(1000);
          }
          say("RESULT one LoadBalancer edited to traffic through its proxy pod: median %d ms, min %d, max %d "
              + "(%d edits)", median(times), times.stream().mapToLong(Long::longValue).min().orElse(0),
              times.stream().mapToLong(Long::longValue).max().orElse(0), times.size());
        }
      }
    }
  }

  /** The answer to GET / as "200 web", or what went wrong. */
  static String answer(Traffic traffic) {
    try {
      return traffic.get("/");
    } catch (RuntimeException e) {
      return e.toString();
    }
  }

  static String loadBalancer(int lb, String host) {
    return """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: lb-%d}
        spec:
          deployment: {replicas: 1}
          listeners:
          - {name: http, port: 8080, protocol: HTTP, defaultBackend: web}
          routes:
          - {name: app, hosts: [%s-%d.example.com], paths: [{type: Prefix, value: /}], backends: [{name: web}]}
          backends:
          - {name: web, service: {name: web, port: 80}}
        """.formatted(lb, host, lb);
  }

  /** LoadBalancers whose status reports their current generation. */
  static int reconciled(KubernetesClient admin) {
    int n = 0;
    for (LoadBalancerResource lb : admin.resources(LoadBalancerResource.class).inAnyNamespace().list().getItems()) {
      LoadBalancerStatus s = lb.getStatus();
      if (s != null && s.observedGeneration() != null
          && s.observedGeneration().equals(lb.getMetadata().getGeneration())) {
        n++;
      }
    }
    return n;
  }

  /** java-operator-sdk's timers: how long one reconciliation took, as the operator measured it. */
  static void timers(MeterRegistry meters) {
    meters.getMeters().stream().filter(m -> m instanceof Timer)
        .filter(m -> m.getId().getName().startsWith("operator.sdk.controllers.execution."))
        .map(Timer.class::cast)
        .forEach(timer -> say("RESULT reconciliations timed by the operator (%s): %d, mean %.0f ms, max %.0f ms",
            timer.getId().getName() + " " + timer.getId().getTags(), timer.count(), timer.mean(TimeUnit.MILLISECONDS),
            timer.max(TimeUnit.MILLISECONDS)));
  }

  static String model(Cluster c, int lb) {
    ConfigMap cm = c.get(ConfigMap.class, "gantry-lb-" + lb + "-model");
    return cm == null || cm.getData() == null ? "" : cm.getData().toString();
  }

  static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.isEmpty() ? 0 : sorted.get((sorted.size() - 1) / 2);
  }

  static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }

  static void say(String format, Object... args) {
    System.out.println(String.format(format, args));
    System.out.flush();
  }
}
