package dev.gantry.operator.gateway;

import dev.gantry.model.Backend;
import dev.gantry.model.Route;
import dev.gantry.model.RouteBackend;
import dev.gantry.operator.ingress.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Listener isolation, as the specification asks of HTTP listeners sharing a port: a request goes to the listener
 * with the most specific hostname matching its host, and only that listener's routes may serve it. The proxy
 * serves a port as one listener whose routes fall through from a more specific host to a less specific one, so
 * (1) a route's hostnames that a more specific listener of its port wholly covers are dropped, and (2) each
 * listener with a less specific one on its port ends its hostname's routes with a route answering 404, which
 * stops the fall-through at its boundary. Pure.
 */
final class ListenerIsolation {

  static final Backend NOT_FOUND = Backend.ofFixedResponse("gateway-listener-not-found", 404);

  private ListenerIsolation() {
  }

  /**
   * The hostnames a route attached to {@code listener} may serve there: {@code hosts} (empty: any) without those
   * a more specific listener of the same port takes; null when none is left.
   */
  static List<String> hosts(CheckedListener listener, List<String> hosts, List<CheckedListener> all) {
    if (hosts.isEmpty() || !http(listener)) {
      return hosts;
    }
    List<String> out = new ArrayList<>();
    for (String h : hosts) {
      boolean taken = all.stream().filter(other -> moreSpecific(other, listener))
          .map(ListenerIsolation::hostname)
          .anyMatch(o -> o.equals(h) || Hostnames.covers(o, h));
      if (!taken) {
        out.add(h);
      }
    }
    return out.isEmpty() ? null : out;
  }

  /**
   * One 404 route per usable HTTP or HTTPS listener that has a less specific one on its port: its hostname, any
   * path, on the port's model listener ({@code port-<port>}, when it is served), ranking after every route with a
   * path there.
   */
  static List<Route> boundaries(List<CheckedListener> all, Set<Integer> servedPorts) {
    List<Route> out = new ArrayList<>();
    for (CheckedListener l : all) {
      if (servedPorts.contains(l.port()) && hostname(l) != null && all.stream().anyMatch(other -> moreSpecific(l, other))) {
        String listener = "port-" + l.port();
        out.add(new Route(Labels.of("listener-isolation", l.key(), listener), List.of(listener),
            List.of(hostname(l)), null, null, null, null,
            List.of(new RouteBackend(NOT_FOUND.name(), null)), null, null, null, null, null, null));
      }
    }
    return out;
  }

  /** Whether {@code a} is a usable HTTP(S) listener on {@code b}'s port with a hostname narrower than b's. */
  private static boolean moreSpecific(CheckedListener a, CheckedListener b) {
    if (a == b || !a.usable() || !b.usable() || !http(a) || !http(b) || a.port() != b.port()
        || hostname(a) == null) {
      return false;
    }
    return hostname(b) == null || Hostnames.covers(hostname(b), hostname(a));
  }

  private static boolean http(CheckedListener l) {
    return "HTTP".equals(l.listener().protocol()) || "HTTPS".equals(l.listener().protocol());
  }

  private static String hostname(CheckedListener l) {
    String h = l.listener().hostname();
    return h == null || h.isEmpty() ? null : h.toLowerCase(Locale.ROOT);
  }
}
