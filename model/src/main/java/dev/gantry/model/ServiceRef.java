package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A Service in the load balancer's namespace and one of its ports, by number or by name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceRef(String name, String port) {

  /** The port as a number, or -1 when it is given by name. */
  public int portNumber() {
    if (port == null || port.isEmpty() || !port.chars().allMatch(Character::isDigit) || port.length() > 5) {
      return -1;
    }
    return Integer.parseInt(port);
  }
}
