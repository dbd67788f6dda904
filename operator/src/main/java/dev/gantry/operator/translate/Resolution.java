package dev.gantry.operator.translate;

import dev.gantry.model.BackendStatus;
import dev.gantry.model.ListenerStatus;
import dev.gantry.model.LoadBalancer;
import java.util.List;
import java.util.Map;

/**
 * A load balancer compiled against the cluster: the model the proxies serve (null when nothing can be
 * served), the TLS bundle it refers to (key to base64 value), what was wrong, and per-listener and
 * per-backend figures for the status.
 */
public record Resolution(LoadBalancer model, Map<String, String> tlsBundle, List<Finding> findings,
    List<ListenerStatus> listeners, List<BackendStatus> backends) {

  public Resolution {
    tlsBundle = Map.copyOf(tlsBundle);
    findings = List.copyOf(findings);
    listeners = List.copyOf(listeners);
    backends = List.copyOf(backends);
  }

  public boolean servable() {
    return model != null;
  }

  /** True when part of the spec is not served, as opposed to only references being missing. */
  public boolean hasInvalidParts() {
    return findings.stream().anyMatch(f -> f.reason().equals(Finding.INVALID));
  }
}
