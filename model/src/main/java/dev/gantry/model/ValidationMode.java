package dev.gantry.model;

/** Where a document is going to run: the checks differ only in what needs a cluster. */
public enum ValidationMode {
  /** The standalone proxy: Services and Secrets are not available, endpoints and PEM files are. */
  STANDALONE,
  /** The operator: Services and Secrets in the load balancer's namespace are referenced by name. */
  CLUSTER,
  /**
   * What the operator hands the proxy in a cluster: like {@link #STANDALONE} (no Service or Secret left to
   * resolve), except that a backend may have no endpoint at all, as a Service with no ready endpoint does;
   * the proxy answers its requests with 503.
   */
  RESOLVED
}
