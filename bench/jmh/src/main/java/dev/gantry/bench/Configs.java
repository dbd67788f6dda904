package dev.gantry.bench;

import dev.gantry.model.LoadResult;
import dev.gantry.model.ModelCodec;
import dev.gantry.model.ModelLoader;
import dev.gantry.model.ValidationMode;
import java.util.stream.Collectors;

/** Generated LoadBalancer documents of a chosen size, for the benchmarks. */
final class Configs {

  private Configs() {
  }

  /**
   * One listener and {@code routes} routes: a third on exact hosts with a prefix path, a third on wildcard
   * hosts, a third on one shared host with exact paths; 16 backends of 4 endpoints.
   */
  static String manyRoutes(int routes) {
    StringBuilder y = new StringBuilder("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: bench}
        spec:
          listeners:
          - {name: http, port: 18100, protocol: HTTP, defaultBackend: b0}
          routes:
        """);
    for (int i = 0; i < routes; i++) {
      String backend = "b" + (i % 16);
      switch (i % 3) {
        case 0 -> y.append("  - {name: r").append(i).append(", hosts: [site").append(i)
            .append(".example.com], paths: [{type: Prefix, value: /app/").append(i).append("}], backends: [{name: ")
            .append(backend).append("}]}\n");
        case 1 -> y.append("  - {name: r").append(i).append(", hosts: [\"*.tenant").append(i)
            .append(".example.org\"], backends: [{name: ").append(backend).append("}]}\n");
        default -> y.append("  - {name: r").append(i).append(", hosts: [api.example.com], paths: [{type: Exact, value: /v1/items/")
            .append(i).append("}], backends: [{name: ").append(backend).append("}]}\n");
      }
    }
    y.append("  backends:\n");
    for (int b = 0; b < 16; b++) {
      y.append("  - name: b").append(b).append("\n    endpoints:\n");
      for (int e = 0; e < 4; e++) {
        y.append("    - {address: 10.0.").append(b).append('.').append(e + 1).append(", port: 8080}\n");
      }
    }
    return y.toString();
  }

  /**
   * {@code count} LoadBalancer documents separated by {@code ---}, each with its own HTTP listener (ports
   * from {@code firstPort} up, as one process serving them all needs), {@code routes} routes on hosts of its
   * own with prefix paths, and 2 backends of 2 endpoints.
   */
  static String manyLoadBalancers(int count, int routes, int firstPort) {
    StringBuilder y = new StringBuilder();
    for (int n = 0; n < count; n++) {
      y.append("""
          ---
          apiVersion: gantry.dev/v1alpha1
          kind: LoadBalancer
          metadata: {name: lb%d, namespace: team%d}
          spec:
            listeners:
            - {name: http, port: %d, protocol: HTTP, defaultBackend: b0}
            routes:
          """.formatted(n, n % 50, firstPort + n));
      for (int i = 0; i < routes; i++) {
        y.append("  - {name: r").append(i).append(", hosts: [app").append(i).append(".lb").append(n)
            .append(".example.com], paths: [{type: Prefix, value: /api/v").append(i % 3).append("}], backends: [{name: b")
            .append(i % 2).append("}]}\n");
      }
      y.append("  backends:\n");
      for (int b = 0; b < 2; b++) {
        y.append("  - {name: b").append(b).append(", endpoints: [{address: 10.").append(n / 250).append('.')
            .append(n % 250).append('.').append(b * 2 + 1).append(", port: 8080}, {address: 10.").append(n / 250)
            .append('.').append(n % 250).append('.').append(b * 2 + 2).append(", port: 8080}]}\n");
      }
    }
    return y.toString();
  }

  /** The same documents as JSON, one object per document, one after the other. */
  static String toJson(String yaml) {
    LoadResult r = ModelLoader.load("bench.yaml", yaml, ValidationMode.STANDALONE);
    if (!r.ok()) {
      throw new IllegalStateException(r.diagnostics().toString());
    }
    return r.loadBalancers().stream().map(ModelCodec::toJson).collect(Collectors.joining("\n"));
  }
}
