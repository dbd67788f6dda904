package dev.gantry.proxy.cluster;

import dev.gantry.proxy.GantryProxy;
import dev.gantry.proxy.GracefulStop;
import dev.gantry.proxy.Main;
import dev.gantry.proxy.cli.CommandSpec;
import dev.gantry.proxy.cli.Converter;
import dev.gantry.proxy.cli.OptionSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code gantry-proxy cluster}: how the operator's Deployment starts the proxy. It serves the model of one
 * load balancer from its ConfigMap and Secret, with the pod's service account.
 */
public final class ClusterCommand {

  String namespace;
  String name;
  String configMap;
  String secret;
  Main.RuntimeOptions runtime = new Main.RuntimeOptions();

  /** The {@code cluster} command: which load balancer to serve, then the runtime options of the main command. */
  public CommandSpec command() {
    List<OptionSpec<?>> options = new ArrayList<>();
    options.add(OptionSpec.option("--namespace", "NS", Converter.string(), v -> namespace = v,
        "Namespace of the load balancer (default $POD_NAMESPACE).")
        .withDefault(System.getenv("POD_NAMESPACE")).mandatory());
    options.add(OptionSpec.option("--name", "NAME", Converter.string(), v -> name = v,
        "Name of the load balancer.").mandatory());
    options.add(OptionSpec.option("--config-map", "NAME", Converter.string(), v -> configMap = v,
        "ConfigMap holding the model.").mandatory());
    options.add(OptionSpec.option("--secret", "NAME", Converter.string(), v -> secret = v,
        "Secret holding the model's certificates and keys.").mandatory());
    options.addAll(runtime.options());
    return new CommandSpec("cluster", Main.VERSION,
        "Serves one LoadBalancer in a Kubernetes cluster: the model the operator writes to a "
            + "ConfigMap, the certificates it writes to a Secret, both watched through the API.",
        options, List.of(), List.of(), this::call);
  }

  Integer call() throws Exception {
    GracefulStop stop = GracefulStop.install(runtime);
    GantryProxy proxy;
    try {
      proxy = stop.serving(GantryProxy.start(runtime.proxyOptions(), runtime.accessLog()));
    } catch (dev.gantry.proxy.pipeline.ListenerBindException e) {
      stop.cancel();
      System.err.println("gantry-proxy: " + e.getMessage());
      return 1;
    } catch (InterruptedException | RuntimeException e) {
      stop.cancel();
      throw e;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    ClusterConfigSource source = new ClusterConfigSource(client, namespace, name, configMap, secret, proxy);
    stop.closeFirst(source);
    stop.closeFirst(client);
    source.start();
    return stop.awaitStop();
  }
}
