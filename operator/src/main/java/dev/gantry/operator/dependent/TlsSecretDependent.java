package dev.gantry.operator.dependent;

import dev.gantry.operator.translate.FleetNames;
import dev.gantry.operator.translate.FleetPlan;
import dev.gantry.operator.translate.ModelManifests;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The certificates and keys of the model, the only place key material goes. */
@KubernetesDependent(informer = @Informer(name = "fleet-secret", labelSelector = FleetNames.MANAGED_SELECTOR))
public final class TlsSecretDependent extends FleetDependent<Secret> {

  public TlsSecretDependent() {
    super(Secret.class);
  }

  @Override
  protected Secret desired(FleetPlan plan) {
    return ModelManifests.tlsSecret(plan);
  }

  @Override
  protected String name(FleetNames names) {
    return names.tlsSecret();
  }
}
