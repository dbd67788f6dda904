package dev.gantry.model;

/** Where a document is going to run: the checks differ only in what needs a cluster. */
public enum ValidationMode {
  /** The standalone proxy: Services and Secrets are not available, endpoints and PEM files are. */
  STANDALONE,
  /** The operator: Services and Secrets in the load balancer's namespace are referenced by name. */
  CLUSTER
}
