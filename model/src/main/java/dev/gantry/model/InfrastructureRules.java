package dev.gantry.model;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks {@code spec.infrastructure}: keys are Kubernetes qualified names (an optional DNS subdomain prefix and
 * a name), label values are label values, and the keys the operator sets itself, or any under
 * {@code gantry.dev/}, are not for the user to set.
 */
final class InfrastructureRules {

  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]");
  private static final Set<String> OPERATORS_LABELS = Set.of("app.kubernetes.io/name", "app.kubernetes.io/instance",
      "app.kubernetes.io/managed-by", "app.kubernetes.io/component");
  private static final int MAX_ANNOTATION_VALUE = 4096;

  private InfrastructureRules() {
  }

  static void check(String path, Infrastructure infra, Problems problems) {
    entries(path + ".labels", infra.labelsOrEmpty(), true, problems);
    entries(path + ".annotations", infra.annotationsOrEmpty(), false, problems);
  }

  private static void entries(String path, Map<String, String> entries, boolean labels, Problems problems) {
    if (entries.size() > Infrastructure.MAX_ENTRIES) {
      problems.add(path, "at most " + Infrastructure.MAX_ENTRIES + " entries, got " + entries.size());
    }
    for (Map.Entry<String, String> e : entries.entrySet()) {
      String at = FieldPath.key(path, e.getKey());
      String key = e.getKey();
      if (!isQualifiedName(key)) {
        problems.add(at, "expected a key such as example.com/team or team (a DNS subdomain prefix and '/', then "
            + "at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)");
      } else if (key.startsWith("gantry.dev/") || (labels && OPERATORS_LABELS.contains(key))) {
        problems.add(at, "set by the operator itself, not allowed here");
      }
      String value = e.getValue() == null ? "" : e.getValue();
      if (labels && !value.isEmpty() && !NAME.matcher(value).matches()) {
        problems.add(at, "expected a label value (at most 63 letters, digits, '-', '_' or '.', starting and ending "
            + "with a letter or digit), got " + Problems.quote(value));
      } else if (!labels && value.length() > MAX_ANNOTATION_VALUE) {
        problems.add(at, "at most " + MAX_ANNOTATION_VALUE + " characters, got " + value.length());
      }
    }
  }

  static boolean isQualifiedName(String key) {
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      if (!Names.isDnsSubdomain(key.substring(0, slash))) {
        return false;
      }
    }
    return NAME.matcher(name).matches();
  }
}
