package dev.gantry.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The checked-in CRD is the one the classes generate. Run with {@code -Dgantry.crd.update=true} to
 * rewrite it after changing the model or {@link LoadBalancerCrd}.
 */
class CrdDriftTest {

  static final Path FILE = Path.of("..").resolve(LoadBalancerCrd.CHECKED_IN);

  @Test
  void theCheckedInCrdIsGeneratedFromTheClasses() throws IOException {
    String generated = LoadBalancerCrd.yaml();
    if (Boolean.getBoolean("gantry.crd.update")) {
      Files.writeString(FILE, generated);
    }
    assertThat(FILE).as("the checked-in CRD; regenerate it with -Dgantry.crd.update=true").exists();
    assertThat(Files.readString(FILE))
        .as("%s drifted from the classes; regenerate it with -Dgantry.crd.update=true", FILE)
        .isEqualTo(generated);
  }
}
