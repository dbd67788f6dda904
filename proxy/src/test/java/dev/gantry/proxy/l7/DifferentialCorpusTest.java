package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The corpus of bench/differential/cases/ holds, byte for byte, the requests of {@link StrictnessCases}:
 * the differential comparison with HAProxy and nginx sends exactly what the strictness test sends.
 * Run with {@code -Dgantry.writeCorpus=true} to rewrite the files after changing the cases. The numbered files
 * ({@code 04-cl-te-smuggle.http}) are classic smuggling requests written by hand for the comparison alone.
 */
class DifferentialCorpusTest {

  private static final Path CORPUS = Path.of("..", "bench", "differential", "cases");

  @Test
  void everyCaseIsInTheCorpusByteForByte() throws IOException {
    if (Boolean.getBoolean("gantry.writeCorpus")) {
      Files.createDirectories(CORPUS);
      for (StrictnessCases c : StrictnessCases.ALL) {
        Files.write(CORPUS.resolve(c.name() + ".http"), c.bytes());
      }
    }
    for (StrictnessCases c : StrictnessCases.ALL) {
      Path file = CORPUS.resolve(c.name() + ".http");
      assertThat(file).as(c.name()).exists();
      assertThat(Files.readAllBytes(file)).as(c.name()).isEqualTo(c.bytes());
    }
    try (Stream<Path> files = Files.list(CORPUS)) {
      assertThat(files.map(f -> f.getFileName().toString())
          .filter(name -> name.endsWith(".http") && !name.matches("[0-9]{2}-.*"))
          .collect(Collectors.toSet()))
          .as("files of the corpus that are no case")
          .isEqualTo(StrictnessCases.ALL.stream().map(c -> c.name() + ".http").collect(Collectors.toSet()));
    }
  }
}
