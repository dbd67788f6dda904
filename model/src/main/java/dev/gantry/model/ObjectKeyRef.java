package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One key of a ConfigMap or Secret in the load balancer's namespace, holding PEM text (a CA bundle, a
 * revocation list). Cluster only: the operator copies it into the fleet's bundle Secret.
 *
 * @param key the key of the object's data; when absent, the default of the field that holds the reference
 *     ({@code ca.crt} for CA bundles, {@code ca.crl} for revocation lists)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObjectKeyRef(ReferenceKind kind, String name, String key) {

  public static final String CA_KEY = "ca.crt";
  public static final String CRL_KEY = "ca.crl";

  public String keyOr(String fallback) {
    return key == null ? fallback : key;
  }

  /** {@code ConfigMap "name" key "ca.crt"}: how findings name it. */
  public String describe(String fallback) {
    return kind + " \"" + name + "\" key \"" + keyOr(fallback) + "\"";
  }
}
