package dev.gantry.model;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The listeners and backends of a spec by name, for the rules that check references between them. */
record SpecIndex(Map<String, Listener> listeners, Set<String> backends, Set<String> fixedResponses) {

  static SpecIndex of(LoadBalancerSpec spec) {
    Map<String, Listener> listeners = new HashMap<>();
    for (Listener l : spec.listenersOrEmpty()) {
      if (l != null && l.name() != null) {
        listeners.putIfAbsent(l.name(), l);
      }
    }
    Set<String> backends = new HashSet<>();
    Set<String> fixedResponses = new HashSet<>();
    for (Backend b : spec.backendsOrEmpty()) {
      if (b != null && b.name() != null) {
        backends.add(b.name());
        if (b.fixedResponse() != null) {
          fixedResponses.add(b.name());
        }
      }
    }
    return new SpecIndex(listeners, backends, fixedResponses);
  }

  Listener listener(String name) {
    return listeners.get(name);
  }

  boolean hasBackend(String name) {
    return backends.contains(name);
  }

  /** Whether the backend is answered by the proxy itself, which only an HTTP exchange can be. */
  boolean isFixedResponse(String name) {
    return fixedResponses.contains(name);
  }
}
