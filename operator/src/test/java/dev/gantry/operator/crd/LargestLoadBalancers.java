package dev.gantry.operator.crd;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Valid LoadBalancers as large as the CRD lets them be where its CEL rules iterate: every list those rules
 * walk at its maxItems, every name they compare at its maxLength. The API server checks a rule's estimated
 * cost when the CRD is installed, but refuses an object at run time when one rule's actual cost passes
 * its per-call limit; these objects must still be accepted.
 */
final class LargestLoadBalancers {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final CrdSchema schema;

  LargestLoadBalancers(CrdSchema schema) {
    this.schema = schema;
  }

  /** HTTP listeners only, each route naming as many of them as it may. */
  ObjectNode allHttp() {
    return build("largest-http", "HTTP", "l");
  }

  /** TCP listeners only, each route naming as many other (unknown) listeners as it may. */
  ObjectNode allTcp() {
    return build("largest-tcp", "TCP", "x");
  }

  private ObjectNode build(String name, String protocol, String routedPrefix) {
    ObjectNode lb = JSON.objectNode();
    lb.put("apiVersion", "gantry.dev/v1alpha1").put("kind", "LoadBalancer");
    lb.putObject("metadata").put("name", name);
    ObjectNode spec = lb.putObject("spec");
    int listeners = maxItems("spec.listeners");
    ArrayNode ls = spec.putArray("listeners");
    for (int i = 0; i < listeners; i++) {
      ObjectNode l = ls.addObject().put("name", label("l", i)).put("port", 1024 + i).put("protocol", protocol);
      if (protocol.equals("TCP")) {
        l.put("defaultBackend", label("b", 0));
      }
    }
    ArrayNode rs = spec.putArray("routes");
    int routeListeners = maxItems("spec.routes[].listeners");
    for (int r = 0; r < maxItems("spec.routes"); r++) {
      ObjectNode route = rs.addObject().put("name", label("r", r));
      ArrayNode named = route.putArray("listeners");
      for (int i = 0; i < routeListeners; i++) {
        named.add(label(routedPrefix, listeners - routeListeners + i));
      }
      ArrayNode paths = route.putArray("paths");
      for (int p = 0; p < maxItems("spec.routes[].paths"); p++) {
        paths.addObject().put("type", "Prefix").put("value", "/p" + p);
      }
      route.putObject("rewrite").put("pathPrefix", "/");
      ArrayNode backends = route.putArray("backends");
      int count = maxItems("spec.routes[].backends");
      for (int b = 0; b < count; b++) {
        // only the last has weight: "at least one backend needs a weight above 0" walks them all
        backends.addObject().put("name", label("b", b)).put("weight", b == count - 1 ? 1 : 0);
      }
    }
    ArrayNode backends = spec.putArray("backends");
    for (int b = 0; b < maxItems("spec.backends"); b++) {
      ObjectNode service = backends.addObject().put("name", label("b", b)).putObject("service");
      service.put("name", label("s", b)).put("port", 80);
    }
    return lb;
  }

  private int maxItems(String schemaPath) {
    return schema.at(schemaPath).path("maxItems").asInt();
  }

  /** A DNS label as long as a name may be: the prefix repeated, then the number. */
  private String label(String prefix, int i) {
    int max = schema.at("spec.listeners[].name").path("maxLength").asInt();
    String number = String.format("%04d", i);
    return prefix.repeat(max - number.length()) + number;
  }
}
