package dev.gantry.operator.dependent;

import dev.gantry.operator.translate.FleetNames;
import dev.gantry.operator.translate.FleetPlan;
import dev.gantry.operator.translate.ModelManifests;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The resolved model the proxies watch. */
@KubernetesDependent(informer = @Informer(name = "fleet-configmap", labelSelector = FleetNames.MANAGED_SELECTOR))
public final class ModelConfigMapDependent extends FleetDependent<ConfigMap> {

  public ModelConfigMapDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(FleetPlan plan) {
    return ModelManifests.configMap(plan);
  }

  @Override
  protected String name(FleetNames names) {
    return names.modelConfigMap();
  }
}
