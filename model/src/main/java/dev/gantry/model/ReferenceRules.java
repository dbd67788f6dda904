package dev.gantry.model;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of references to ConfigMaps and Secrets (CA bundles, revocation lists, client certificates):
 * only in a cluster, where the operator resolves them; standalone and in what the proxy receives, files.
 */
final class ReferenceRules {

  static final int MAX_CA_REFS = 8;
  /** What Kubernetes allows as a key of a ConfigMap's or Secret's data. */
  private static final Pattern DATA_KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");

  private ReferenceRules() {
  }

  /** A list of CA bundle references: in a cluster only, at most {@link #MAX_CA_REFS}, each complete. */
  static void caRefs(String path, List<ObjectKeyRef> refs, String fileField, ValidationMode mode,
      Problems problems) {
    if (refs == null) {
      return;
    }
    if (mode != ValidationMode.CLUSTER) {
      problems.add(path, "references need a cluster; use " + fileField);
      return;
    }
    problems.size(path, refs, MAX_CA_REFS, "reference");
    for (int i = 0; i < refs.size(); i++) {
      String at = FieldPath.index(path, i);
      if (problems.entry(at, refs.get(i), "a ConfigMap or Secret reference")) {
        keyRef(at, refs.get(i), problems);
      }
    }
  }

  /** One reference to a key of a ConfigMap or Secret, in a cluster only. */
  static void ref(String path, ObjectKeyRef ref, String fileField, ValidationMode mode, Problems problems) {
    if (ref == null) {
      return;
    }
    if (mode != ValidationMode.CLUSTER) {
      problems.add(path, "references need a cluster; use " + fileField);
      return;
    }
    keyRef(path, ref, problems);
  }

  /** A Secret named for a client certificate, in a cluster only. */
  static void secret(String path, SecretRef ref, String fileFields, ValidationMode mode, Problems problems) {
    if (ref == null) {
      return;
    }
    if (mode != ValidationMode.CLUSTER) {
      problems.add(path, "references need a cluster; use " + fileFields);
      return;
    }
    name(path + ".name", ref.name(), "Secret", problems);
  }

  private static void keyRef(String path, ObjectKeyRef ref, Problems problems) {
    if (ref.kind() == null) {
      problems.add(path + ".kind", "required, one of ConfigMap, Secret");
    }
    name(path + ".name", ref.name(), ref.kind() == null ? "ConfigMap or Secret" : ref.kind().name(), problems);
    if (ref.key() != null && !DATA_KEY.matcher(ref.key()).matches()) {
      problems.add(path + ".key", "expected a data key (letters, digits, '-', '_' and '.'), got "
          + Problems.quote(ref.key()));
    }
  }

  private static void name(String path, String name, String kind, Problems problems) {
    if (problems.required(path, name) && !Names.isDnsSubdomain(name)) {
      problems.add(path, "expected a " + kind + " name (a DNS-1123 subdomain), got " + Problems.quote(name));
    }
  }
}
