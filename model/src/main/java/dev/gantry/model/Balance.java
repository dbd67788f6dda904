package dev.gantry.model;

/** How a backend spreads requests over its endpoints. Constant names are the API's spelling. */
public enum Balance {
  RoundRobin,
  LeastConnections,
  Random,
  SourceHash
}
