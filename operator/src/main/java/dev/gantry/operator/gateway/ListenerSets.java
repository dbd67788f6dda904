package dev.gantry.operator.gateway;

import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.gateway.api.GatewayResource.Listener;
import dev.gantry.operator.gateway.api.GatewayResource.RouteNamespaces;
import dev.gantry.operator.gateway.api.ListenerSetResource;
import dev.gantry.operator.gateway.api.ParentRef;
import dev.gantry.operator.gateway.api.ReferenceGrantResource;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The ListenerSets naming a Gateway, merged into its listeners as GEP-1713 says: the Gateway's
 * {@code spec.allowedListeners.namespaces} ({@code None} by default, {@code Same}, {@code All} or {@code Selector})
 * says which may attach; their listeners follow the Gateway's own in precedence (the Gateway's, then ListenerSets
 * oldest first, then by namespace and name, then in order), and a listener that conflicts with one of higher
 * precedence (another protocol or TLS mode on its port, or the same port, protocol and hostname) is refused with
 * the conflict's reason while the other keeps serving. Pure.
 */
final class ListenerSets {

  /** A ListenerSet naming the Gateway, and whether the Gateway lets it attach. */
  record Judged(ListenerSetResource set, boolean allowed) {

    ListenerOwner owner() {
      return ListenerOwner.listenerSet(set.getMetadata().getNamespace(), set.getMetadata().getName());
    }
  }

  /** The Gateway's listeners followed by those of its allowed ListenerSets, and every ListenerSet naming it. */
  record Merged(List<CheckedListener> listeners, List<Judged> sets) {

    /** The ListenerSet a route's parentRef names, or null (the Gateway, or another object). */
    Judged setNamed(ParentRef ref, String routeNamespace) {
      return sets.stream().filter(j -> ref.namesListenerSet(j.set().getMetadata().getNamespace(),
          j.set().getMetadata().getName(), routeNamespace)).findFirst().orElse(null);
    }
  }

  static final Comparator<ListenerSetResource> PRECEDENCE = Comparator
      .comparing((ListenerSetResource s) -> s.getMetadata().getCreationTimestamp() == null ? ""
          : s.getMetadata().getCreationTimestamp())
      .thenComparing(s -> s.getMetadata().getNamespace())
      .thenComparing(s -> s.getMetadata().getName());

  private ListenerSets() {
  }

  /**
   * @param own the Gateway's own listeners, as checked
   * @param namespaceLabels the labels of each namespace
   */
  static Merged merge(GatewayResource gw, List<CheckedListener> own, List<ListenerSetResource> all,
      Map<String, Map<String, String>> namespaceLabels, Function<String, Map<String, Secret>> secretsIn,
      List<ReferenceGrantResource> grants) {
    String gwNs = gw.getMetadata().getNamespace();
    String gwName = gw.getMetadata().getName();
    List<ListenerSetResource> naming = all.stream().filter(s -> s.names(gwNs, gwName)).sorted(PRECEDENCE).toList();
    List<CheckedListener> out = new ArrayList<>(own);
    List<Listener> taken = new ArrayList<>();
    own.stream().map(CheckedListener::listener).filter(l -> ListenerChecks.PROTOCOLS.contains(l.protocol()))
        .forEach(taken::add);
    List<Judged> sets = new ArrayList<>();
    for (ListenerSetResource s : naming) {
      Judged judged = new Judged(s, allows(gw, s.getMetadata().getNamespace(),
          namespaceLabels.getOrDefault(s.getMetadata().getNamespace(), Map.of())));
      sets.add(judged);
      if (!judged.allowed() || s.getSpec() == null) {
        continue;
      }
      for (Listener l : s.getSpec().listenersOrEmpty()) {
        String conflict = conflict(l, taken);
        CheckedListener checked = ListenerChecks.check(judged.owner(), gwNs, gwName, l, conflict, secretsIn, grants);
        if (conflict != null && checked.accepted()) {
          checked = checked.refused(conflict, "a listener of higher precedence on port " + checked.port()
              + " has the same hostname", conflict);
        } else if (conflict == null && ListenerChecks.PROTOCOLS.contains(l.protocol())) {
          taken.add(l);
        }
        out.add(checked);
      }
    }
    return new Merged(out, sets);
  }

  /** Whether the Gateway's {@code spec.allowedListeners} lets ListenerSets of {@code namespace} attach. */
  static boolean allows(GatewayResource gw, String namespace, Map<String, String> labels) {
    RouteNamespaces ns = gw.getSpec() == null || gw.getSpec().allowedListeners() == null ? null
        : gw.getSpec().allowedListeners().namespaces();
    String from = ns == null || ns.from() == null ? "None" : ns.from();
    return switch (from) {
      case "All" -> true;
      case "Same" -> namespace.equals(gw.getMetadata().getNamespace());
      case "Selector" -> NamespaceSelectors.matches(ns.selector(), labels);
      default -> false;
    };
  }

  /** The conflict of a ListenerSet's listener with those of higher precedence, or null. */
  private static String conflict(Listener l, List<Listener> taken) {
    String protocol = ListenerChecks.protocolOnPort(l);
    if (taken.stream().anyMatch(t -> Objects.equals(t.port(), l.port())
        && !ListenerChecks.protocolOnPort(t).equals(protocol))) {
      return "ProtocolConflict";
    }
    String key = ListenerChecks.conflictKey(l);
    return taken.stream().anyMatch(t -> ListenerChecks.conflictKey(t).equals(key)) ? "HostnameConflict" : null;
  }
}
