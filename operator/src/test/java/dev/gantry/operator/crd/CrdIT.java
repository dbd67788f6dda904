package dev.gantry.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gantry.operator.crd.BoundCase.Cause;
import dev.gantry.operator.crd.BoundCase.MergeError;
import dev.gantry.operator.crd.CelRuleCases.CelCase;
import dev.gantry.operator.crd.CrdSchema.CelRule;
import dev.gantry.operator.crd.DryRunApply.Rejection;
import dev.gantry.operator.testing.Commands;
import dev.gantry.operator.testing.ControlPlane;
import dev.gantry.operator.testing.ControlPlaneExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checked-in CRD on the real API server: it installs server-side, the examples pass it, and each of
 * its CEL rules and schema bounds refuses a bad LoadBalancer with a message naming the field. Rules and
 * bounds are read from the CRD file, so one added later without a case fails here.
 */
@ExtendWith(ControlPlaneExtension.class)
class CrdIT {

  static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  static final Path CRD_FILE = REPOSITORY.resolve(LoadBalancerCrd.CHECKED_IN);
  static final String CRD_NAME = "loadbalancers.gantry.dev";
  static final String APPLIED = "customresourcedefinition.apiextensions.k8s.io/" + CRD_NAME + " serverside-applied\n";
  static final Cause RULES_NOT_CHECKED = new Cause("<nil>", "FieldValueInvalid", "Invalid value: null: some "
      + "validation rules were not checked because the object was invalid; correct the existing errors to "
      + "complete validation");

  static final CrdSchema SCHEMA = CrdSchema.read(CRD_FILE);

  static ControlPlane controlPlane;
  static Commands.Result firstApply;
  static String namespace;
  static KubernetesClient client;
  static DryRunApply server;
  static GenericKubernetesResource storedFull;
  static GenericKubernetesResource storedFullStatus;

  @BeforeAll
  static void install(ControlPlane cp) throws IOException {
    controlPlane = cp;
    firstApply = cp.kubectlResult("apply", "--server-side", "-f", CRD_FILE.toString());
    if (firstApply.exitCode() != 0) {
      throw new IllegalStateException("the API server refused " + CRD_FILE + ":\n" + firstApply.output());
    }
    cp.kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd/" + CRD_NAME);
    namespace = cp.createNamespace("crd");
    // a merge error is a 500 the client would otherwise retry ten times
    Config config = new ConfigBuilder(Config.fromKubeconfig(Files.readString(cp.kubeconfig())))
        .withRequestRetryBackoffLimit(0).build();
    client = new KubernetesClientBuilder().withConfig(config).build();
    server = new DryRunApply(client, namespace);
    storedFull = server.store(FullLoadBalancer.spec());
    storedFullStatus = server.storeStatus(FullLoadBalancer.object());
  }

  @AfterAll
  static void cleanUp() {
    if (client != null) {
      client.namespaces().withName(namespace).delete();
      client.close();
    }
  }

  @Test
  void theCrdInstallsServerSideAndReapplyingItChangesNothing() throws IOException {
    // (GantryRelease may have applied the same file with the same command earlier in this JVM.) Nothing
    // else printed: no warning about an unknown keyword, a rule's cost or anything else.
    assertThat(firstApply.output()).isEqualTo(APPLIED);
    CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().withName(CRD_NAME).get();
    Map<String, String> conditions = crd.getStatus().getConditions().stream()
        .collect(Collectors.toMap(c -> c.getType(), c -> c.getStatus()));
    assertThat(conditions).containsEntry("Established", "True").containsEntry("NamesAccepted", "True");

    Commands.Result again = controlPlane.kubectlResult("apply", "--server-side", "-f", CRD_FILE.toString());
    assertThat(again.exitCode()).as(again.output()).isZero();
    assertThat(again.output()).isEqualTo(APPLIED);
    CustomResourceDefinition after = client.apiextensions().v1().customResourceDefinitions().withName(CRD_NAME).get();
    assertThat(after.getMetadata().getResourceVersion()).as("a second apply changed the stored CRD")
        .isEqualTo(crd.getMetadata().getResourceVersion());
    assertThat(after.getMetadata().getGeneration()).isEqualTo(crd.getMetadata().getGeneration());

    // the server kept every keyword of the file: none unknown to it, none dropped
    JsonNode stored = new ObjectMapper().readTree(controlPlane.kubectl("get", "crd", CRD_NAME, "-o", "json"));
    assertThat(stored.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema"))
        .isEqualTo(SCHEMA.openApiV3Schema());
  }

  @Test
  void theFullLoadBalancerSetsEveryFieldAndIsStoredAsWritten() {
    ObjectNode full = FullLoadBalancer.object();
    List<String> unset = SCHEMA.places().stream()
        .filter(p -> FieldPath.first(full, p, n -> true).isEmpty()).toList();
    assertThat(unset).as("fields of the CRD the full LoadBalancer leaves unset").isEmpty();

    ObjectMapper json = new ObjectMapper();
    JsonNode spec = json.valueToTree(storedFull.getAdditionalProperties().get("spec"));
    JsonNode status = json.valueToTree(storedFullStatus.getAdditionalProperties().get("status"));
    assertThat(spec).isEqualTo(full.get("spec"));
    assertThat(status).isEqualTo(full.get("status"));
  }

  static Stream<Path> examplesWithALoadBalancer() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path dir : List.of(REPOSITORY.resolve("examples").resolve("cluster"), REPOSITORY.resolve("examples"))) {
      try (Stream<Path> list = Files.list(dir)) {
        list.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(files::add);
      }
    }
    List<Path> withLoadBalancer = new ArrayList<>();
    for (Path f : files) {
      if (!loadBalancers(f).isEmpty()) {
        withLoadBalancer.add(f);
      }
    }
    assertThat(withLoadBalancer).extracting(p -> REPOSITORY.relativize(p).toString())
        .contains("examples/cluster/quickstart.yaml", "examples/cluster/https.yaml", "examples/cluster/ingress.yaml");
    return withLoadBalancer.stream();
  }

  static List<String> loadBalancers(Path file) throws IOException {
    return Arrays.stream(Files.readString(file).split("(?m)^---\\s*$"))
        .filter(d -> d.matches("(?s)(.*\\n)?kind: LoadBalancer\\s*\\n.*")).toList();
  }

  @ParameterizedTest
  @MethodSource("examplesWithALoadBalancer")
  void everyExampleLoadBalancerPassesAServerDryRun(Path example) throws IOException {
    List<String> documents = loadBalancers(example);
    Path only = Files.createTempFile("gantry-example-", ".yaml");
    try {
      Files.writeString(only, String.join("\n---\n", documents));
      Commands.Result r = controlPlane.kubectlResult("apply", "--server-side", "--dry-run=server", "-n", namespace,
          "-f", only.toString());
      assertThat(r.exitCode()).as(r.output()).isZero();
      List<String> expected = new ArrayList<>();
      for (String d : documents) {
        String name = new YAMLMapper().readTree(d).path("metadata").path("name").asText();
        expected.add("loadbalancer.gantry.dev/" + name + " serverside-applied (server dry run)");
      }
      // nothing else printed: no warning
      assertThat(r.output().lines()).containsExactlyElementsOf(expected);
    } finally {
      Files.delete(only);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyCelRuleRefusesItsCaseNamingTheField() {
    List<CelRule> rules = SCHEMA.rules();
    Function<CelCase, Optional<CelRule>> ruleOf = c -> rules.stream()
        .filter(r -> r.schemaPath().equals(c.schemaPath()) && r.message().equals(c.message())).findFirst();
    DynamicTest coverage = dynamicTest("every rule of the CRD has a case, every case a rule", () -> {
      Set<String> withCase = CelRuleCases.ALL.stream().map(c -> c.schemaPath() + ": " + c.message())
          .collect(Collectors.toSet());
      assertThat(rules).as("CEL rules without a case in CelRuleCases")
          .filteredOn(r -> !withCase.contains(r.schemaPath() + ": " + r.message())).isEmpty();
      assertThat(CelRuleCases.ALL).as("cases of no rule").filteredOn(c -> ruleOf.apply(c).isEmpty()).isEmpty();
      System.out.printf("%n%d CEL rules, each refused by the API server:%n", rules.size());
    });
    Stream<DynamicTest> cases = CelRuleCases.ALL.stream().map(c -> dynamicTest(c.message(), () -> {
      int index = CelRuleCases.ALL.indexOf(c);
      CelRule rule = ruleOf.apply(c).orElseThrow();
      ObjectNode lb = (ObjectNode) new YAMLMapper().readTree(CelRuleCases.object(c, index));
      Rejection rejection = server.apply(lb).orElseThrow(() -> new AssertionError("accepted: " + lb));
      Cause expected = new Cause(c.at() + rule.fieldPath(), "FieldValueInvalid", "Invalid value: " + rule.message());
      System.out.printf("  %-42s %s%n", expected.field(), expected.message());
      assertThat(rejection.code()).as(rejection.message()).isEqualTo(422);
      assertThat(rejection.causes()).containsExactly(expected);
      assertThat(rejection.message()).isEqualTo("LoadBalancer.gantry.dev \"cel-case-" + index + "\" is invalid: "
          + expected.field() + ": " + expected.message());
    }));
    return Stream.concat(Stream.of(coverage), cases);
  }

  @TestFactory
  Stream<DynamicTest> everySchemaBoundRefusesItsCaseNamingTheField() {
    List<SchemaBound> bounds = SCHEMA.bounds();
    BoundViolations violations = new BoundViolations(SCHEMA, FullLoadBalancer.object());
    List<BoundCase> cases = bounds.stream().map(violations::violate).toList();
    DynamicTest coverage = dynamicTest("every bound of the CRD has a case", () -> {
      assertThat(bounds).hasSize(SCHEMA.boundKeywordCount());
      assertThat(cases).hasSameSizeAs(bounds);
      System.out.printf("%n%d schema bounds, each refused by the API server:%n%-44s %-34s %s%n", bounds.size(),
          "field", "bound", "the API server's answer");
    });
    return Stream.concat(Stream.of(coverage), cases.stream().map(c -> dynamicTest(c.bound().toString(), () -> {
      Rejection rejection = (c.status() ? server.applyStatus(c.object()) : server.apply(c.object()))
          .orElseThrow(() -> new AssertionError("accepted: " + c.object()));
      printRow(c, rejection);
      if (c.expected() instanceof Cause expected) {
        assertThat(rejection.code()).as(rejection.message()).isEqualTo(422);
        assertThat(rejection.causes()).contains(expected);
        // anything else is about the same field (a bound that cannot break alone) or the note on CEL
        assertThat(rejection.causes()).allSatisfy(cause -> assertThat(cause.equals(RULES_NOT_CHECKED)
            || cause.field().startsWith(expected.field())).as("unrelated cause %s", cause).isTrue());
      } else {
        MergeError expected = (MergeError) c.expected();
        assertThat(rejection.message()).as("code %d", rejection.code()).contains(expected.line());
      }
    })));
  }

  /** One line of the table: the field, the bound, and what the server said about that field. */
  private static void printRow(BoundCase c, Rejection rejection) {
    String bound = c.bound().kind().keyword + " " + (c.bound().kind() == SchemaBound.Kind.LIST_SET ? "set"
        : c.bound().value().isTextual() ? c.bound().value().asText() : c.bound().value().toString());
    if (bound.length() > 34) {
      bound = bound.substring(0, 31) + "...";
    }
    String answer = c.expected() instanceof MergeError ? "(" + rejection.code() + ") " + rejection.message()
        .substring(rejection.message().indexOf("): ") + 3) : rejection.causes().stream()
        .filter(cause -> !cause.equals(RULES_NOT_CHECKED)).map(Cause::toString).collect(Collectors.joining("; "));
    System.out.printf("  %-44s %-34s %s%n", c.field(), bound, answer);
  }

  static Stream<Named<ObjectNode>> largestLoadBalancers() {
    LargestLoadBalancers largest = new LargestLoadBalancers(SCHEMA);
    return Stream.of(Named.of("every listener HTTP, each route naming the most it may", largest.allHttp()),
        Named.of("every listener TCP, each route naming the most others it may", largest.allTcp()));
  }

  @ParameterizedTest
  @MethodSource("largestLoadBalancers")
  void theCelRulesStayWithinTheRuntimeCostLimitAtTheCrdsBounds(ObjectNode lb) {
    assertThat(server.apply(lb).map(Rejection::message)).as("the API server's answer").isEmpty();
  }
}
