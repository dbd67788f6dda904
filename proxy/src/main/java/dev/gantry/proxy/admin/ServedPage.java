package dev.gantry.proxy.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.proxy.config.CompiledConfig;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The admin port's {@code /served}: which generation of each load balancer this proxy serves, so that the
 * operator can tell when every proxy serves the latest one, for example
 * {@code {"generation":4,"loadBalancers":[{"id":"web/shop","generation":2}]}}.
 */
public final class ServedPage {

  record Served(String id, Long generation) {
  }

  record Page(long generation, List<Served> loadBalancers) {
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private ServedPage() {
  }

  public static String render(CompiledConfig config) {
    List<Served> served = config.source().stream()
        .map(lb -> new Served(lb.id(), lb.metadata() == null ? null : lb.metadata().generation()))
        .toList();
    try {
      return JSON.writeValueAsString(new Page(config.generation(), served)) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

}
