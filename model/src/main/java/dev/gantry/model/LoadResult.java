package dev.gantry.model;

import java.util.List;

/**
 * What {@link ModelLoader} read from one source: the load balancers whose documents have no problem, in
 * document order, and every problem found, ordered by line.
 */
public record LoadResult(List<LoadBalancer> loadBalancers, List<Diagnostic> diagnostics) {

  public LoadResult {
    loadBalancers = List.copyOf(loadBalancers);
    diagnostics = List.copyOf(diagnostics);
  }

  /** True when the source has no problem at all, so every document in it was loaded. */
  public boolean ok() {
    return diagnostics.isEmpty();
  }
}
