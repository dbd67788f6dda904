package dev.gantry.proxy;

import dev.gantry.model.Diagnostic;
import dev.gantry.model.LoadResult;
import dev.gantry.model.ModelLoader;
import dev.gantry.model.ValidationMode;
import java.io.IOException;
import java.nio.file.Path;

/** {@code --check}: HAProxy's {@code -c}. Prints every problem as {@code file:line: path: message}. */
final class Check {

  private Check() {
  }

  static int run(Path file) throws IOException {
    LoadResult result = ModelLoader.load(file, ValidationMode.STANDALONE);
    if (result.ok()) {
      System.out.println(file + ": " + result.loadBalancers().size() + " load balancer(s), configuration valid");
      return 0;
    }
    for (Diagnostic d : result.diagnostics()) {
      System.err.println(d);
    }
    return Main.EXIT_INVALID;
  }
}
