package dev.gantry.model;

/** The Kubernetes Service type of the proxy fleet. */
public enum ServiceType {
  LoadBalancer,
  NodePort,
  ClusterIP
}
