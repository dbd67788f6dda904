package dev.gantry.model;

/** The PROXY protocol header sent to TCP and TLS-passthrough backends. */
public enum ProxyProtocol {
  None,
  V1,
  V2
}
