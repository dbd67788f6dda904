package dev.gantry.operator.translate;

import dev.gantry.model.ModelCodec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;

/** The two objects the proxies watch: the resolved model (a ConfigMap) and its key material (a Secret). */
public final class ModelManifests {

  /** The ConfigMap key of the resolved model, a LoadBalancer YAML document. */
  /** JSON, not YAML: a model of thousands of routes loads in a tenth of the time. */
  public static final String MODEL_KEY = "loadbalancer.json";
  /** The generation of the LoadBalancer the model was resolved from. */
  public static final String ANNOTATION_GENERATION = "gantry.dev/generation";

  private ModelManifests() {
  }

  /** The model; only called with a servable plan. */
  public static ConfigMap configMap(FleetPlan plan) {
    return new ConfigMapBuilder()
        .withMetadata(meta(plan, plan.names().modelConfigMap(), true))
        .withData(Map.of(MODEL_KEY, ModelCodec.toPrettyJson(plan.resolution().model())))
        .build();
  }

  /** The certificates and keys the model refers to, by bundle key. Never logged, never in a ConfigMap. */
  public static Secret tlsSecret(FleetPlan plan) {
    return new SecretBuilder()
        .withMetadata(meta(plan, plan.names().tlsSecret(), false))
        .withType("Opaque")
        .withData(plan.resolution().tlsBundle())
        .build();
  }

  private static ObjectMeta meta(FleetPlan plan, String name, boolean generation) {
    ObjectMetaBuilder meta = new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(plan.names().namespace())
        .withLabels(plan.labels())
        .withAnnotations(plan.annotations(generation
            ? Map.of(ANNOTATION_GENERATION, Long.toString(plan.generation())) : Map.of()));
    return meta.build();
  }
}
