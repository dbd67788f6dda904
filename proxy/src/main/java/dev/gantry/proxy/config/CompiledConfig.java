package dev.gantry.proxy.config;

import dev.gantry.model.LoadBalancer;
import java.util.List;
import java.util.Map;

/**
 * One immutable configuration: every listener by port. The proxy publishes a new one with a single reference
 * write; connections read the current one at each request.
 */
public record CompiledConfig(long generation, List<LoadBalancer> source, Map<Integer, ListenerRuntime> listeners) {

  public static final CompiledConfig EMPTY = new CompiledConfig(0, List.of(), Map.of());

  public ListenerRuntime listener(int port) {
    return listeners.get(port);
  }
}
