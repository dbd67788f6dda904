package dev.gantry.proxy.cluster;

import dev.gantry.model.Diagnostic;
import dev.gantry.model.LoadBalancer;
import dev.gantry.model.LoadResult;
import dev.gantry.model.ModelLoader;
import dev.gantry.model.ValidationMode;
import dev.gantry.proxy.GantryProxy;
import dev.gantry.proxy.config.ConfigRejectedException;
import dev.gantry.proxy.pipeline.ListenerBindException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode: the model is the {@code loadbalancer.json} of a ConfigMap the operator writes, its key
 * material the Secret beside it. Both are watched by name (the pod's Role allows nothing else); a valid
 * change is applied at once, an invalid one is logged and the last good model keeps serving. While the API
 * server is unreachable the informers retry and the proxy goes on serving what it has.
 *
 * <p>The only place the proxy uses the Kubernetes client.
 */
public final class ClusterConfigSource implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterConfigSource.class);
  public static final String MODEL_KEY = "loadbalancer.json";

  private final KubernetesClient client;
  private final String namespace;
  private final String configMapName;
  private final String secretName;
  private final GantryProxy proxy;
  private final String describe;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private ConfigMap configMap;
  private Secret secret;
  private String appliedModel;
  private String appliedSecretVersion;
  private volatile BundleCertificates certificates = BundleCertificates.EMPTY;

  /**
   * @param loadBalancer the name of the load balancer served, for the log
   */
  public ClusterConfigSource(KubernetesClient client, String namespace, String loadBalancer, String configMap,
      String secret, GantryProxy proxy) {
    this.client = client;
    this.namespace = namespace;
    this.configMapName = configMap;
    this.secretName = secret;
    this.proxy = proxy;
    this.describe = "LoadBalancer(" + namespace + "/" + loadBalancer + ")";
  }

  /** Starts watching; returns at once, the first model is applied when it arrives. */
  public ClusterConfigSource start() {
    informers.add(client.secrets().inNamespace(namespace).withName(secretName)
        .inform(handler(s -> secret = s, "Secret " + secretName)));
    informers.add(client.configMaps().inNamespace(namespace).withName(configMapName)
        .inform(handler(c -> configMap = c, "ConfigMap " + configMapName)));
    LOG.info("{}: watching ConfigMap {}/{} and Secret {}/{}", describe, namespace, configMapName, namespace,
        secretName);
    return this;
  }

  /** The certificates of the model being served: what a certificate resolver reads in cluster mode. */
  public BundleCertificates certificates() {
    return certificates;
  }

  private <T extends HasMetadata> ResourceEventHandler<T> handler(Consumer<T> store, String what) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        changed(store, obj, what + " appeared");
      }

      @Override
      public void onUpdate(T old, T obj) {
        if (!Objects.equals(old.getMetadata().getResourceVersion(), obj.getMetadata().getResourceVersion())) {
          changed(store, obj, what + " changed");
        }
      }

      @Override
      public void onDelete(T obj, boolean finalStateUnknown) {
        LOG.warn("{}: {} was deleted; the last good model keeps serving", describe, what);
      }
    };
  }

  private synchronized <T> void changed(Consumer<T> store, T obj, String reason) {
    store.accept(obj);
    try {
      apply(reason);
    } catch (RuntimeException e) {
      // never let a bad object stop the watch
      LOG.error("{}: applying the model failed unexpectedly; the last good model keeps serving", describe, e);
    }
  }

  private void apply(String reason) {
    String text = configMap == null || configMap.getData() == null ? null : configMap.getData().get(MODEL_KEY);
    if (text == null || text.isBlank()) {
      LOG.info("{}: waiting for the model in ConfigMap {}", describe, configMapName);
      return;
    }
    String secretVersion = secret == null ? null : secret.getMetadata().getResourceVersion();
    if (text.equals(appliedModel) && Objects.equals(secretVersion, appliedSecretVersion)) {
      return;
    }
    LoadResult result = ModelLoader.load("ConfigMap " + namespace + "/" + configMapName, text,
        ValidationMode.RESOLVED);
    if (!result.ok() || result.loadBalancers().isEmpty()) {
      proxy.rejected();
      LOG.error("{}: model rejected ({}); the last good model keeps serving", describe, reason);
      result.diagnostics().stream().map(Diagnostic::toString).forEach(d -> LOG.error("  {}", d));
      return;
    }
    BundleCertificates bundle = BundleCertificates.fromSecretData(secret == null ? null : secret.getData());
    List<String> missing = missingKeys(result.loadBalancers(), bundle);
    if (!missing.isEmpty()) {
      // the operator writes the Secret first; this is a moment between the two writes
      LOG.info("{}: waiting for Secret {} to hold {}", describe, secretName, missing);
      return;
    }
    try {
      certificates = bundle;
      proxy.apply(result.loadBalancers(), bundle.resolver(namespace + "/" + secretName), reason);
      appliedModel = text;
      appliedSecretVersion = secretVersion;
    } catch (ListenerBindException e) {
      LOG.error("{}: model rejected ({}): {}; the last good model keeps serving", describe, reason, e.getMessage());
    } catch (ConfigRejectedException e) {
      LOG.error("{}: model rejected ({}); the last good model keeps serving", describe, reason);
      e.problems().forEach(p -> LOG.error("  {}", p));
    }
  }

  private static List<String> missingKeys(List<LoadBalancer> lbs, BundleCertificates bundle) {
    List<String> missing = new ArrayList<>();
    for (LoadBalancer lb : lbs) {
      for (String key : BundleKeys.of(lb)) {
        if (!bundle.has(key)) {
          missing.add(key);
        }
      }
    }
    return missing;
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
