package dev.gantry.model;

import static dev.gantry.model.Fixtures.HTTP_LISTENER;
import static dev.gantry.model.Fixtures.doc;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code spec.infrastructure}: labels and annotations for the fleet's objects, checked in a cluster only. */
class InfrastructureRulesTest {

  static LoadResult load(String infrastructure, ValidationMode mode) {
    return ModelLoader.load("lb.yaml", doc(HTTP_LISTENER + "  infrastructure:\n" + infrastructure), mode);
  }

  @Test
  void validLabelsAndAnnotationsAreKept() {
    LoadResult r = load("""
            labels: {example.com/team: edge, tier: "front_1.a", empty: ""}
            annotations: {example.com/owner: "Platform team <platform@example.com>"}
        """, ValidationMode.CLUSTER);
    assertThat(r.diagnostics()).isEmpty();
    Infrastructure infra = r.loadBalancers().get(0).spec().infrastructure();
    assertThat(infra.labelsOrEmpty()).containsEntry("example.com/team", "edge").containsEntry("tier", "front_1.a");
    assertThat(infra.annotationsOrEmpty()).containsKey("example.com/owner");
  }

  @Test
  void badKeysBadValuesAndTheOperatorsOwnKeysAreNamed() {
    LoadResult r = load("""
            labels: {"-bad": x, "Example.com/x": y, app.kubernetes.io/name: mine, tier: "has space"}
            annotations: {gantry.dev/load-balancer: other}
        """, ValidationMode.CLUSTER);
    assertThat(r.diagnostics()).extracting(Diagnostic::toString).containsExactly(
        "lb.yaml:9: spec.infrastructure.labels.-bad: expected a key such as example.com/team or team (a DNS "
            + "subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with "
            + "a letter or digit)",
        "lb.yaml:9: spec.infrastructure.labels[\"Example.com/x\"]: expected a key such as example.com/team or team "
            + "(a DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and "
            + "ending with a letter or digit)",
        "lb.yaml:9: spec.infrastructure.labels[\"app.kubernetes.io/name\"]: set by the operator itself, not allowed "
            + "here",
        "lb.yaml:9: spec.infrastructure.labels.tier: expected a label value (at most 63 letters, digits, '-', "
            + "'_' or '.', starting and ending with a letter or digit), got \"has space\"",
        "lb.yaml:10: spec.infrastructure.annotations[\"gantry.dev/load-balancer\"]: set by the operator itself, not "
            + "allowed here");
  }

  @Test
  void standaloneItIsIgnored() {
    assertThat(load("    labels: {\"-bad\": x}\n", ValidationMode.STANDALONE).diagnostics()).isEmpty();
  }
}
