package dev.gantry.proxy.cluster;

import dev.gantry.proxy.GantryProxy;
import dev.gantry.proxy.Main;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gantry-proxy cluster}: how the operator's Deployment starts the proxy. It serves the model of one
 * load balancer from its ConfigMap and Secret, with the pod's service account.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Serves one LoadBalancer in a Kubernetes cluster: the model the operator writes to a "
        + "ConfigMap, the certificates it writes to a Secret, both watched through the API.")
public final class ClusterCommand implements Callable<Integer> {

  @Option(names = "--namespace", required = true, paramLabel = "NS",
      defaultValue = "${env:POD_NAMESPACE}", description = "Namespace of the load balancer (default $POD_NAMESPACE).")
  String namespace;

  @Option(names = "--name", required = true, paramLabel = "NAME", description = "Name of the load balancer.")
  String name;

  @Option(names = "--config-map", required = true, paramLabel = "NAME", description = "ConfigMap holding the model.")
  String configMap;

  @Option(names = "--secret", required = true, paramLabel = "NAME",
      description = "Secret holding the model's certificates and keys.")
  String secret;

  @Mixin
  Main.RuntimeOptions runtime = new Main.RuntimeOptions();

  @Override
  public Integer call() throws Exception {
    GantryProxy proxy;
    try {
      proxy = GantryProxy.start(runtime.proxyOptions(), runtime.accessLog());
    } catch (dev.gantry.proxy.pipeline.ListenerBindException e) {
      System.err.println("gantry-proxy: " + e.getMessage());
      return 1;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    ClusterConfigSource source = new ClusterConfigSource(client, namespace, name, configMap, secret, proxy).start();
    return Main.runUntilStopped(proxy, runtime, source, client);
  }
}
