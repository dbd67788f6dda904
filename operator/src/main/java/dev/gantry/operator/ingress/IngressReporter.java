package dev.gantry.operator.ingress;

import dev.gantry.model.Address;
import dev.gantry.operator.status.EventRecorder;
import dev.gantry.operator.translate.Finding;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerStatus;
import io.fabric8.kubernetes.api.model.networking.v1.IngressStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells each attached Ingress how it is served: {@code status.loadBalancer} gets the load balancer's
 * addresses, and what is wrong with it (an untranslatable backend, a missing Service or Secret, a path
 * another Ingress claimed first) becomes a Warning Event on it, once per change rather than per
 * reconciliation.
 */
public final class IngressReporter {

  private static final Logger LOG = LoggerFactory.getLogger(IngressReporter.class);

  private final KubernetesClient client;
  private final EventRecorder events;
  /** What each Ingress (by uid) was last told; an operator restart tells it once more. */
  private final Map<String, List<String>> told = new ConcurrentHashMap<>();

  public IngressReporter(KubernetesClient client, EventRecorder events) {
    this.client = client;
    this.events = events;
  }

  /**
   * @param problems per Ingress ({@code namespace/name}), from translation and conflicts
   * @param findings the load balancer's findings; those naming one of an Ingress's routes or backends are its
   */
  public void report(String lbNamespace, List<Ingress> attached, Map<String, List<String>> problems,
      List<Finding> findings, List<Address> addresses) {
    for (Ingress ingress : attached) {
      String id = ingress.getMetadata().getNamespace() + "/" + ingress.getMetadata().getName();
      List<String> messages = new ArrayList<>(problems.getOrDefault(id, List.of()));
      IngressParts parts = IngressTranslator.translate(ingress,
          !lbNamespace.equals(ingress.getMetadata().getNamespace()));
      for (Finding f : findings) {
        if (concerns(f, parts)) {
          messages.add(f.message());
        }
      }
      String uid = ingress.getMetadata().getUid() == null ? id : ingress.getMetadata().getUid();
      List<String> before = told.put(uid, messages);
      if (!messages.equals(before)) {
        for (String m : messages) {
          if (before == null || !before.contains(m)) {
            events.emit(ingress, "Warning", "NotFullyServed", m);
          }
        }
      }
      publishAddresses(ingress, addresses);
    }
  }

  /** Forgets an Ingress that is gone. */
  public void forget(String uid) {
    told.remove(uid);
  }

  private static boolean concerns(Finding f, IngressParts parts) {
    for (var b : parts.backends()) {
      if (f.message().contains("\"" + b.name() + "\"")) {
        return true;
      }
    }
    for (var r : parts.routes()) {
      if (f.message().contains("\"" + r.name() + "\"")) {
        return true;
      }
    }
    return false;
  }

  private void publishAddresses(Ingress ingress, List<Address> addresses) {
    List<IngressLoadBalancerIngress> wanted = new ArrayList<>();
    for (Address a : addresses) {
      IngressLoadBalancerIngressBuilder b = new IngressLoadBalancerIngressBuilder();
      wanted.add("Hostname".equals(a.type()) ? b.withHostname(a.value()).build() : b.withIp(a.value()).build());
    }
    IngressStatus status = ingress.getStatus();
    List<IngressLoadBalancerIngress> current = status == null || status.getLoadBalancer() == null
        || status.getLoadBalancer().getIngress() == null ? List.of() : status.getLoadBalancer().getIngress();
    if (Objects.equals(current, wanted)) {
      return;
    }
    try {
      client.network().v1().ingresses().inNamespace(ingress.getMetadata().getNamespace())
          .withName(ingress.getMetadata().getName())
          .editStatus(i -> {
            i.setStatus(new IngressStatus(new IngressLoadBalancerStatus(wanted)));
            return i;
          });
    } catch (KubernetesClientException e) {
      // The next reconciliation tries again; the Ingress keeps its old addresses meanwhile.
      LOG.warn("Ingress({}/{}): could not update its status: {}", ingress.getMetadata().getNamespace(),
          ingress.getMetadata().getName(), e.getMessage());
    }
  }

  /** Service-style status entries, for Services of type LoadBalancer. */
  public static List<LoadBalancerIngress> serviceIngress(List<Address> addresses) {
    List<LoadBalancerIngress> out = new ArrayList<>();
    for (Address a : addresses) {
      LoadBalancerIngressBuilder b = new LoadBalancerIngressBuilder();
      out.add("Hostname".equals(a.type()) ? b.withHostname(a.value()).build() : b.withIp(a.value()).build());
    }
    return out;
  }
}
