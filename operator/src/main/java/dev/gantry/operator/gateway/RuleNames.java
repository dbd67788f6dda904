package dev.gantry.operator.gateway;

import java.util.List;
import java.util.Objects;

/**
 * A route rule's optional {@code name}, which the specification requires to be unique within its route and its
 * CRD checks only for form: a rule repeating an earlier rule's name is not served, so that whatever refers to the
 * name later never has two rules to choose from. Pure.
 */
final class RuleNames {

  private RuleNames() {
  }

  /** Why rule {@code i} cannot be served for its name, or null. */
  static String repeated(List<String> names, int i) {
    String name = names.get(i);
    if (name == null) {
      return null;
    }
    for (int j = 0; j < i; j++) {
      if (Objects.equals(names.get(j), name)) {
        return "name " + name + " is already the name of rules[" + j + "]";
      }
    }
    return null;
  }
}
