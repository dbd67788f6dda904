package dev.gantry.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The image tars the suite imports into k3s, as {@code ./mvnw -Pimages} builds them (e2e/pom.xml passes
 * their paths), and the tag they carry. (The one-node cluster of e2e/cluster builds and loads its own.)
 */
record Images(Path operator, Path proxy, Path backend, String tag) {

  static Images fromBuild() {
    return new Images(path("gantry.e2e.images.operator"), path("gantry.e2e.images.proxy"),
        path("gantry.e2e.images.backend"), System.getProperty("gantry.e2e.images.tag", "0.1.0"));
  }

  List<Path> all() {
    return List.of(operator, proxy, backend);
  }

  List<Path> missing() {
    return all().stream().filter(p -> !Files.isRegularFile(p)).toList();
  }

  private static Path path(String property) {
    String value = System.getProperty(property);
    return value == null ? Path.of("missing-" + property) : Path.of(value).toAbsolutePath().normalize();
  }
}
