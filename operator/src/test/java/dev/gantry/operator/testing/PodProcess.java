package dev.gantry.operator.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * One pod the cluster scheduled, run as a local process the way its kubelet would run its container: the
 * container's arguments exactly as the API holds them after the image's entrypoint (stood in for by
 * {@code java} with the project's classes and the image's JVM flags), the container's environment and nothing
 * of the test's, and the pod's ServiceAccount credentials as a token the API server issued (in a kubeconfig,
 * where a pod has its projected token). Once the container's readiness probe passes on the pod's address, the
 * pod is reported Running and Ready there. Stopped by PID: {@link #kill()} as an OOM kill or a node failure
 * would, {@link #close()} with SIGTERM as a pod deletion does.
 */
public final class PodProcess implements AutoCloseable {

  /** The images' JVM flags (jib's container.jvmFlags in the parent POM, in the same order). */
  private static final List<String> IMAGE_JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xms8m",
      "-XX:MaxRAMPercentage=50", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30",
      "-XX:-ShrinkHeapInSteps", "-XX:TrimNativeHeapInterval=5000", "-XX:+ExitOnOutOfMemoryError",
      "-Dio.netty.leakDetection.level=disabled");
  /**
   * What the proxy's POM appends to them for the proxy image alone, and the proxy's own SLF4J provider, which
   * its image holds alone: the test classpath also holds the operator's Logback.
   */
  private static final List<String> PROXY_IMAGE_JVM_FLAGS = List.of("-XX:-TieredCompilation",
      "-XX:CICompilerCount=1", "-Dio.netty.jfr.enabled=false", "-Dio.netty.allocator.lowMemory=false",
      "-Dslf4j.provider=dev.gantry.proxy.log.GantryLogProvider");

  static final String PROXY_MAIN = "dev.gantry.proxy.Main";

  private final Pod pod;
  private final Process process;
  private final Path log;

  private PodProcess(Pod pod, Process process, Path log) {
    this.pod = pod;
    this.process = process;
    this.log = log;
  }

  /**
   * Runs {@code pod}'s only container with {@code mainClass} as its image's entrypoint, at {@code podIp} on a
   * node at {@code hostIp}, and reports it Ready once its readiness probe passes.
   */
  public static PodProcess run(ControlPlane controlPlane, Cluster cluster, Pod pod, String mainClass, String podIp,
      String hostIp) {
    Container c = pod.getSpec().getContainers().get(0);
    if (c.getCommand() != null && !c.getCommand().isEmpty()) {
      throw new IllegalArgumentException("pod " + pod.getMetadata().getName() + " overrides its image's entrypoint "
          + "with " + c.getCommand() + "; only the entrypoint of Gantry's images can be stood in for");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(IMAGE_JVM_FLAGS);
    if (mainClass.equals(PROXY_MAIN)) {
      command.addAll(PROXY_IMAGE_JVM_FLAGS);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    if (c.getArgs() != null) {
      command.addAll(c.getArgs());
    }
    try {
      Path dir = Files.createDirectories(controlPlane.stateDirectory().resolve("pods"));
      Path log = dir.resolve(pod.getMetadata().getNamespace() + "_" + pod.getMetadata().getName() + ".log");
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile());
      pb.environment().clear();
      pb.environment().putAll(environment(controlPlane, pod, c, podIp));
      PodProcess running = new PodProcess(pod, pb.start(), log);
      running.awaitReadiness(c, podIp);
      cluster.reportRunningAndReady(pod, podIp, hostIp);
      return running;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs the first pod the ReplicaSet controller makes for the proxy fleet {@code fleetInstance} (its
   * {@code app.kubernetes.io/instance} label) with the proxy's entrypoint.
   */
  public static PodProcess runFleetPod(ControlPlane controlPlane, Cluster cluster, String fleetInstance, String podIp,
      String hostIp) {
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !cluster.fleetPods(fleetInstance).isEmpty());
    return run(controlPlane, cluster, cluster.fleetPods(fleetInstance).get(0), PROXY_MAIN, podIp, hostIp);
  }

  private static Map<String, String> environment(ControlPlane controlPlane, Pod pod, Container c, String podIp) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("HOSTNAME", pod.getMetadata().getName());
    // what the projected ServiceAccount token gives a pod's client
    env.put("KUBECONFIG", controlPlane.kubeconfigOf(pod.getMetadata().getNamespace(),
        pod.getSpec().getServiceAccountName()).toString());
    for (EnvVar v : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
      if (v.getValueFrom() == null) {
        env.put(v.getName(), v.getValue() == null ? "" : v.getValue());
      } else if (v.getValueFrom().getFieldRef() != null) {
        env.put(v.getName(), field(pod, v.getValueFrom().getFieldRef().getFieldPath(), podIp));
      } else {
        throw new IllegalArgumentException("env " + v.getName() + " of pod " + pod.getMetadata().getName()
            + ": only values and fieldRefs are stood in for");
      }
    }
    return env;
  }

  private static String field(Pod pod, String path, String podIp) {
    return switch (path) {
      case "metadata.name" -> pod.getMetadata().getName();
      case "metadata.namespace" -> pod.getMetadata().getNamespace();
      case "metadata.uid" -> pod.getMetadata().getUid();
      case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
      case "status.podIP" -> podIp;
      default -> throw new IllegalArgumentException("fieldRef " + path + " is not stood in for");
    };
  }

  private void awaitReadiness(Container c, String podIp) {
    HTTPGetAction probe = c.getReadinessProbe() == null ? null : c.getReadinessProbe().getHttpGet();
    if (probe == null) {
      return;
    }
    int port = probe.getPort().getIntVal() != null ? probe.getPort().getIntVal() : c.getPorts().stream()
        .filter(p -> probe.getPort().getStrVal().equals(p.getName())).findFirst().orElseThrow().getContainerPort();
    URI uri = URI.create("http://" + podIp + ":" + port + probe.getPath());
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("pod " + pod.getMetadata().getName() + " exited with "
            + process.exitValue() + ":\n" + log());
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() >= 200 && r.statusCode() < 400) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep();
    }
    throw new IllegalStateException("pod " + pod.getMetadata().getName() + " not ready on " + uri
        + " after 60 s:\n" + log());
  }

  public Pod pod() {
    return pod;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** What the container printed. */
  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** SIGKILL, as the kernel's OOM killer or a lost node ends a container. */
  public void kill() {
    process.destroyForcibly();
    waitForExit(10);
  }

  /** SIGTERM, as a pod deletion does, then SIGKILL after the grace period. */
  @Override
  public void close() {
    process.destroy();
    if (!waitForExit(30)) {
      kill();
    }
  }

  private boolean waitForExit(long seconds) {
    try {
      return process.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
