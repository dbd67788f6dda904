package dev.gantry.bench;

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
}
