package dev.gantry.model;

/** How an endpoint is checked. */
public enum HealthCheckProtocol {
  TCP,
  HTTP
}
