package dev.gantry.operator.gateway;

import dev.gantry.operator.gateway.api.ReferenceGrantResource;
import java.util.List;
import java.util.Objects;

/** Whether a ReferenceGrant lets an object of one namespace refer to an object of another. Pure. */
final class ReferenceGrants {

  private ReferenceGrants() {
  }

  /** A reference from a {@code fromKind} of {@code fromNamespace} to {@code toKind} {@code toName} of {@code toNamespace}. */
  record Reference(String fromGroup, String fromKind, String fromNamespace, String toGroup, String toKind,
      String toNamespace, String toName) {
  }

  static boolean permits(List<ReferenceGrantResource> grants, Reference r) {
    if (r.fromNamespace().equals(r.toNamespace())) {
      return true;
    }
    for (ReferenceGrantResource g : grants) {
      if (!r.toNamespace().equals(g.getMetadata().getNamespace()) || g.getSpec() == null
          || g.getSpec().from() == null || g.getSpec().to() == null) {
        continue;
      }
      boolean from = g.getSpec().from().stream().anyMatch(f -> Objects.equals(nz(f.group()), r.fromGroup())
          && Objects.equals(f.kind(), r.fromKind()) && Objects.equals(f.namespace(), r.fromNamespace()));
      boolean to = g.getSpec().to().stream().anyMatch(t -> Objects.equals(nz(t.group()), r.toGroup())
          && Objects.equals(t.kind(), r.toKind()) && (t.name() == null || t.name().isEmpty()
          || t.name().equals(r.toName())));
      if (from && to) {
        return true;
      }
    }
    return false;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
