package dev.gantry.operator.api;

import dev.gantry.model.LoadBalancer;
import dev.gantry.model.LoadBalancerSpec;
import dev.gantry.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The {@code LoadBalancer} custom resource as the Kubernetes client sees it. Its spec and status are the
 * {@code model} module's records, so the cluster and the standalone proxy read one and the same API.
 */
@Group(LoadBalancer.GROUP)
@Version(LoadBalancer.VERSION)
@Kind(LoadBalancer.KIND)
@Singular("loadbalancer")
@Plural("loadbalancers")
@ShortNames("lb")
public class LoadBalancerResource extends CustomResource<LoadBalancerSpec, LoadBalancerStatus> implements Namespaced {

  private static final long serialVersionUID = 1L;

  public LoadBalancerResource() {
  }

  public LoadBalancerResource(String namespace, String name, LoadBalancerSpec spec) {
    getMetadata().setNamespace(namespace);
    getMetadata().setName(name);
    setSpec(spec);
  }

  /** {@code LoadBalancer(namespace/name)}: how every log line names the resource. */
  public String describe() {
    return describe(getMetadata().getNamespace(), getMetadata().getName());
  }

  public static String describe(String namespace, String name) {
    return LoadBalancer.KIND + "(" + namespace + "/" + name + ")";
  }
}
