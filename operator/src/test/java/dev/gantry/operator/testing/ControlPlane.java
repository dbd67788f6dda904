package dev.gantry.operator.testing;

import dev.gantry.proxy.testing.Ports;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real Kubernetes control plane (etcd, kube-apiserver with RBAC, kube-controller-manager, kube-scheduler),
 * built from Go modules and started by {@code e2e/cluster/up.sh --control-plane} in a state directory of the
 * test module's own, on free ports; {@link #close()} stops it with {@code down.sh}, which ends every process
 * by the PID it recorded. Tests reach it as the admin, or as a ServiceAccount with a token from the
 * TokenRequest API, exactly as a pod's projected token authenticates.
 */
public final class ControlPlane implements AutoCloseable {

  private final Path scripts;
  private final Path dir;
  private final Path kubeconfig;
  private final Path bin;
  private final KubernetesClient admin;

  private ControlPlane(Path scripts, Path dir, Path kubeconfig) {
    this.scripts = scripts;
    this.dir = dir;
    this.kubeconfig = kubeconfig;
    this.bin = Path.of(Commands.run(List.of(scripts.resolve("build.sh").toString()), Map.of(), dir).trim());
    this.admin = new KubernetesClientBuilder().withConfig(adminConfig()).build();
  }

  /** Starts the control plane in {@code dir} (created if missing) on free ports; waits until it is ready. */
  public static ControlPlane start(Path dir) {
    return start(dir, false);
  }

  /**
   * Starts the control plane and a node (containerd, kubelet, kube-proxy, Gantry's images loaded) in
   * {@code dir}; waits until the node is Ready. Needs root and the node's packages (e2e/cluster/up.sh says
   * which are missing).
   */
  public static ControlPlane startWithNode(Path dir) {
    return start(dir, true);
  }

  private static ControlPlane start(Path dir, boolean node) {
    Path scripts = scripts();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> ports = new java.util.HashMap<>();
    for (String port : List.of("API", "ETCD", "ETCD_PEER", "CONTROLLER_MANAGER", "SCHEDULER", "KUBELET",
        "KUBELET_HEALTHZ", "KUBE_PROXY_HEALTHZ", "KUBE_PROXY_METRICS")) {
      ports.put("GANTRY_CLUSTER_" + port + "_PORT", Integer.toString(Ports.free()));
    }
    List<String> command = new ArrayList<>(List.of(scripts.resolve("up.sh").toString(), "--dir", dir.toString()));
    if (!node) {
      command.add("--control-plane");
    }
    String out;
    try {
      out = Commands.run(command, ports, dir);
    } catch (RuntimeException e) {
      // what did start is stopped again: nothing of a failed start outlives the test run
      Commands.result(List.of(scripts.resolve("down.sh").toString(), "--dir", dir.toString()), Map.of(), dir);
      throw e;
    }
    List<String> lines = out.lines().toList();
    return new ControlPlane(scripts, dir.toAbsolutePath(), Path.of(lines.get(lines.size() - 1)));
  }

  /** {@code e2e/cluster}, found from the module's directory upwards. */
  public static Path scripts() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("e2e").resolve("cluster");
      if (Files.isExecutable(candidate.resolve("up.sh"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("e2e/cluster/up.sh not found above " + Path.of("").toAbsolutePath());
  }

  /** The admin's client (system:masters). */
  public KubernetesClient admin() {
    return admin;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public Path stateDirectory() {
    return dir;
  }

  /** Where the control plane's binaries are, kubectl among them. */
  public Path binaries() {
    return bin;
  }

  /** Runs the built {@code kubectl} as the admin; its standard output, or an exception with its error output. */
  public String kubectl(String... args) {
    return Commands.run(kubectlCommand(args), Map.of(), dir);
  }

  /** The same, for a command expected to fail: its exit status and its combined output. */
  public Commands.Result kubectlResult(String... args) {
    return Commands.result(kubectlCommand(args), Map.of(), dir);
  }

  private List<String> kubectlCommand(String... args) {
    // its discovery cache in the state directory, not the user's home
    List<String> command = new ArrayList<>(List.of(bin.resolve("kubectl").toString(), "--kubeconfig",
        kubeconfig.toString(), "--cache-dir", dir.resolve("kubectl-cache").toString()));
    command.addAll(List.of(args));
    return command;
  }

  /** A client authenticated as the ServiceAccount {@code namespace/name}, with a token the API server issued. */
  public KubernetesClient asServiceAccount(String namespace, String name) {
    Config config = new ConfigBuilder(adminConfig())
        .withClientCertData(null).withClientKeyData(null).withClientCertFile(null).withClientKeyFile(null)
        .withOauthToken(token(namespace, name))
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** A kubeconfig file for a process that runs as the ServiceAccount {@code namespace/name}. */
  public Path kubeconfigOf(String namespace, String name) {
    Config admin = adminConfig();
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: gantry
          cluster: {server: "%s", certificate-authority-data: "%s"}
        users:
        - name: %s
          user: {token: "%s"}
        contexts:
        - name: %s
          context: {cluster: gantry, user: %s, namespace: %s}
        current-context: %s
        """.formatted(admin.getMasterUrl(), admin.getCaCertData(), name, token(namespace, name), name, name,
        namespace, name);
    try {
      Path file = dir.resolve("sa-" + namespace + "-" + name + ".kubeconfig");
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String token(String namespace, String name) {
    TokenRequest request = new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build();
    return admin.serviceAccounts().inNamespace(namespace).withName(name).tokenRequest(request).getStatus()
        .getToken();
  }

  private Config adminConfig() {
    try {
      return Config.fromKubeconfig(Files.readString(kubeconfig));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops kube-apiserver alone (by its PID, as down.sh would), leaving etcd and the controllers running. */
  public void stopApiServer() {
    Commands.run(List.of("bash", "-c", ". \"$0/lib.sh\" && stop \"$1\" kube-apiserver", scripts.toString(),
        dir.toString()), Map.of(), dir);
  }

  /** Brings back whatever of the cluster is not running (up.sh starts only what is missing). */
  public void restartStopped() {
    List<String> command = new ArrayList<>(List.of(scripts.resolve("up.sh").toString(), "--dir", dir.toString()));
    if (!withNode()) {
      command.add("--control-plane");
    }
    Commands.run(command, Map.of(), dir);
  }

  /** Whether a node runs: pods really run, as the kubelet starts them. */
  public boolean withNode() {
    try {
      return "node".equals(Files.readString(dir.resolve("mode")).strip());
    } catch (IOException e) {
      return false;
    }
  }

  /** A fresh namespace named {@code prefix-xxxxx}. */
  public String createNamespace(String prefix) {
    String name = prefix + "-" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36), 36);
    admin.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName(name).endMetadata().build()).create();
    return name;
  }

  @Override
  public void close() {
    admin.close();
    Commands.run(List.of(scripts.resolve("down.sh").toString(), "--dir", dir.toString()), Map.of(), dir);
  }

}
