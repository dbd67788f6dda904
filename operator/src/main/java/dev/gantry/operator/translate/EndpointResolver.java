package dev.gantry.operator.translate;

import dev.gantry.model.Backend;
import dev.gantry.model.BackendProtocol;
import dev.gantry.model.BackendStatus;
import dev.gantry.model.Endpoint;
import dev.gantry.model.ServiceRef;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns a backend's {@code service} into the ready endpoints of its EndpointSlices, the way kube-proxy
 * reads them: the Service port chosen by number or name, the slice port of the same name, the first
 * address of every endpoint that is ready (an unset condition counts as ready) and not terminating. A backend
 * that leaves its protocol unset takes it from the port's {@code appProtocol} ({@link AppProtocols}).
 */
public final class EndpointResolver {

  /** The backend with {@code endpoints} in place of {@code service}, its counts, and what went wrong. */
  public record Resolved(Backend backend, BackendStatus status, Optional<Finding> finding) {
  }

  private EndpointResolver() {
  }

  /** A backend reached over HTTP (an Ingress's, for one), so its protocol may come from {@code appProtocol}. */
  public static Resolved resolve(Backend b, ClusterRefs refs) {
    return resolve(b, refs, true);
  }

  /**
   * @param http whether the backend serves HTTP routes: only then does a protocol it leaves unset come from
   *     its Service port's {@code appProtocol} (TCP and TLS passthrough forward bytes, whatever they are)
   */
  public static Resolved resolve(Backend b, ClusterRefs refs, boolean http) {
    ServiceRef ref = b.service();
    if (ref == null) {
      int n = b.endpointsOrEmpty().size();
      return new Resolved(b, new BackendStatus(b.name(), n, n), Optional.empty());
    }
    Service service = refs.services().get(ref.name());
    if (service == null) {
      return empty(b, Finding.SERVICE_NOT_FOUND, "backend \"" + b.name() + "\": Service \"" + ref.name()
          + "\" not found; its requests get 503 until it exists");
    }
    Optional<ServicePort> port = port(service, ref);
    if (port.isEmpty()) {
      return empty(b, Finding.PORT_NOT_FOUND, "backend \"" + b.name() + "\": Service \"" + ref.name()
          + "\" has no port " + ref.port() + " (it has " + ports(service) + ")");
    }
    if (http && b.protocol() == null) {
      b = withProtocol(b, AppProtocols.protocolOf(port.get().getAppProtocol()));
    }
    if ("ExternalName".equals(service.getSpec().getType()) && service.getSpec().getExternalName() != null) {
      Endpoint e = Endpoint.of(service.getSpec().getExternalName(), port.get().getPort());
      return new Resolved(withEndpoints(b, List.of(e)), new BackendStatus(b.name(), 1, 1), Optional.empty());
    }
    TreeSet<Endpoint> ready = new TreeSet<>(Comparator.comparing(Endpoint::address).thenComparing(Endpoint::port));
    int total = 0;
    for (EndpointSlice slice : refs.slicesOf(ref.name())) {
      if (!"IPv4".equals(slice.getAddressType()) && !"IPv6".equals(slice.getAddressType())) {
        continue;
      }
      Integer target = slicePort(slice, port.get().getName());
      if (target == null || slice.getEndpoints() == null) {
        continue;
      }
      for (var endpoint : slice.getEndpoints()) {
        EndpointConditions c = endpoint.getConditions();
        if (endpoint.getAddresses() == null || endpoint.getAddresses().isEmpty()
            || (c != null && Boolean.TRUE.equals(c.getTerminating()))) {
          continue;
        }
        total++;
        if (c == null || !Boolean.FALSE.equals(c.getReady())) {
          ready.add(Endpoint.of(endpoint.getAddresses().get(0), target));
        }
      }
    }
    return new Resolved(withEndpoints(b, new ArrayList<>(ready)), new BackendStatus(b.name(), total, ready.size()),
        Optional.empty());
  }

  private static Resolved empty(Backend b, String reason, String message) {
    return new Resolved(withEndpoints(b, List.of()), new BackendStatus(b.name(), 0, 0),
        Optional.of(new Finding(reason, message)));
  }

  private static Backend withProtocol(Backend b, BackendProtocol protocol) {
    return new Backend(b.name(), b.service(), b.endpoints(), b.balance(), b.healthCheck(),
        b.maxConnectionsPerEndpoint(), b.proxyProtocol(), protocol, b.tls());
  }

  private static Backend withEndpoints(Backend b, List<Endpoint> endpoints) {
    return new Backend(b.name(), null, endpoints, b.balance(), b.healthCheck(), b.maxConnectionsPerEndpoint(),
        b.proxyProtocol(), b.protocol(), b.tls());
  }

  private static Optional<ServicePort> port(Service service, ServiceRef ref) {
    List<ServicePort> ports = service.getSpec() == null || service.getSpec().getPorts() == null ? List.of()
        : service.getSpec().getPorts();
    int number = ref.portNumber();
    return ports.stream()
        .filter(p -> number > 0 ? Objects.equals(p.getPort(), number) : ref.port().equals(p.getName()))
        .filter(p -> p.getProtocol() == null || "TCP".equals(p.getProtocol()))
        .findFirst();
  }

  /** The slice's port for a Service port: same name, where an unnamed Service port has an empty name. */
  private static Integer slicePort(EndpointSlice slice, String name) {
    String wanted = name == null ? "" : name;
    if (slice.getPorts() == null) {
      return null;
    }
    for (EndpointPort p : slice.getPorts()) {
      String n = p.getName() == null ? "" : p.getName();
      if (n.equals(wanted) && (p.getProtocol() == null || "TCP".equals(p.getProtocol())) && p.getPort() != null) {
        return p.getPort();
      }
    }
    return null;
  }

  private static String ports(Service service) {
    List<ServicePort> ports = service.getSpec() == null || service.getSpec().getPorts() == null ? List.of()
        : service.getSpec().getPorts();
    if (ports.isEmpty()) {
      return "no ports";
    }
    return ports.stream().map(p -> p.getName() == null ? String.valueOf(p.getPort()) : p.getName() + " " + p.getPort())
        .collect(Collectors.joining(", "));
  }
}
