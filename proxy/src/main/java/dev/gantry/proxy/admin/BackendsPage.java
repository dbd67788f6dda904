package dev.gantry.proxy.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.gantry.proxy.config.BackendRuntime;
import dev.gantry.proxy.config.CompiledConfig;
import dev.gantry.proxy.config.EndpointRuntime;
import dev.gantry.proxy.health.HealthChecker;
import dev.gantry.proxy.upstream.EndpointState;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The admin port's {@code /backends}: every backend and the live state of each of its endpoints, as JSON. */
public final class BackendsPage {

  record EndpointView(String endpoint, int weight, boolean up, String health, boolean ejected,
      long ejectedForMs, long ejections, int consecutiveFailures, int active, int maxActive) {
  }

  record BackendView(String lb, String name, String balance, String healthCheck, int queued,
      List<EndpointView> endpoints) {
  }

  record Page(long generation, List<BackendView> backends) {
  }

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private BackendsPage() {
  }

  public static String render(CompiledConfig config) {
    long now = System.nanoTime();
    List<BackendView> backends = new ArrayList<>();
    for (BackendRuntime b : config.backends()) {
      List<EndpointView> endpoints = new ArrayList<>();
      for (EndpointRuntime e : b.endpoints()) {
        EndpointState s = e.state();
        endpoints.add(new EndpointView(e.label(), e.weight(), e.weight() > 0 && s.available(now),
            s.health().name(), s.ejected(now), s.ejectedForMillis(now), s.ejections(), s.consecutiveFailures(),
            s.active(), s.maxActive()));
      }
      backends.add(new BackendView(b.lbId(), b.name(), b.balance().name(), HealthChecker.describe(b),
          b.state().queued(), endpoints));
    }
    try {
      return JSON.writeValueAsString(new Page(config.generation(), backends)) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
