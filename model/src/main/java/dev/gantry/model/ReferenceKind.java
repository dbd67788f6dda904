package dev.gantry.model;

/** The kinds of object a CA bundle or a revocation list may come from in a cluster. */
public enum ReferenceKind {
  ConfigMap,
  Secret
}
