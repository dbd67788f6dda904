package dev.gantry.operator.ingress;

import dev.gantry.model.Backend;
import dev.gantry.model.Route;
import java.util.List;

/**
 * What one Ingress adds to its load balancer: routes (one per rule path, plus one for its default backend),
 * the backends they use (one per Service port), the TLS Secrets for the HTTPS listeners, and what could not
 * be translated.
 */
public record IngressParts(String ingress, List<Route> routes, List<Backend> backends, List<String> tlsSecrets,
    List<String> problems) {
}
