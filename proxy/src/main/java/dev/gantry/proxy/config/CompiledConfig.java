package dev.gantry.proxy.config;

import dev.gantry.model.LoadBalancer;
import java.util.List;
import java.util.Map;

/**
 * One immutable configuration: every listener by port. The proxy publishes a new one with a single reference
 * write; connections read the current one at each request. {@code backends} lists every backend of every
 * load balancer, in document order.
 */
public record CompiledConfig(long generation, List<LoadBalancer> source, Map<Integer, ListenerRuntime> listeners,
    List<BackendRuntime> backends) {

  public static final CompiledConfig EMPTY = new CompiledConfig(0, List.of(), Map.of(), List.of());

  public ListenerRuntime listener(int port) {
    return listeners.get(port);
  }
}
