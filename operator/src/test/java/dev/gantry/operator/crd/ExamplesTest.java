package dev.gantry.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.LoadResult;
import dev.gantry.model.ModelLoader;
import dev.gantry.model.ValidationMode;
import dev.gantry.operator.ingress.IngressClasses;
import dev.gantry.operator.ingress.IngressParts;
import dev.gantry.operator.ingress.IngressTranslator;
import dev.gantry.operator.servicelb.ServiceLoadBalancers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cluster examples the README points to are valid, and do what their comments say. */
class ExamplesTest {

  static Path example(String file) {
    return Path.of("..", "examples", "cluster", file);
  }

  /** The documents of a file that are of {@code kind}, as YAML text. */
  static List<String> documents(String file, String kind) throws IOException {
    return Arrays.stream(Files.readString(example(file)).split("(?m)^---\\s*$"))
        .filter(d -> d.contains("\nkind: " + kind + "\n") || d.startsWith("kind: " + kind + "\n"))
        .toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"quickstart.yaml", "https.yaml", "backend-tls.yaml"})
  void clusterExamplesAreValid(String file) throws IOException {
    LoadResult r = ModelLoader.load(example(file), ValidationMode.CLUSTER);
    assertThat(r.diagnostics()).isEmpty();
    assertThat(r.loadBalancers()).hasSize(1);
  }

  @Test
  void theIngressExampleAttachesToItsLoadBalancer() throws IOException {
    List<String> lbs = documents("ingress.yaml", "LoadBalancer");
    assertThat(lbs).hasSize(1);
    LoadResult r = ModelLoader.load("ingress.yaml", lbs.get(0), ValidationMode.CLUSTER);
    assertThat(r.diagnostics()).isEmpty();

    KubernetesSerialization k8s = new KubernetesSerialization();
    IngressClass cls = k8s.unmarshal(documents("ingress.yaml", "IngressClass").get(0), IngressClass.class);
    Ingress ingress = k8s.unmarshal(documents("ingress.yaml", "Ingress").get(0), Ingress.class);
    ingress.getMetadata().setNamespace("web");
    var outcome = IngressClasses.resolve(ingress, List.of(cls)).orElseThrow();
    assertThat(outcome.target()).isEqualTo(new IngressClasses.Target("web", "edge"));
    IngressParts parts = IngressTranslator.translate(ingress);
    assertThat(parts.problems()).isEmpty();
    assertThat(parts.routes()).hasSize(2);
  }

  @Test
  void theServiceExampleGetsATcpLoadBalancer() throws IOException {
    HasMetadata svc = new KubernetesSerialization().unmarshal(Files.readString(example("service-loadbalancer.yaml")),
        Service.class);
    Service service = (Service) svc;
    service.getMetadata().setNamespace("web");
    assertThat(ServiceLoadBalancers.isOurs(service)).isTrue();
    ServiceLoadBalancers.Desired d = ServiceLoadBalancers.desired(service);
    assertThat(d.problems()).isEmpty();
    assertThat(d.lb().getSpec().listeners()).singleElement().satisfies(l -> assertThat(l.port()).isEqualTo(5432));
  }
}
