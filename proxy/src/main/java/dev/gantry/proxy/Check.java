package dev.gantry.proxy;

import dev.gantry.model.Diagnostic;
import dev.gantry.model.LoadResult;
import dev.gantry.model.ModelLoader;
import dev.gantry.model.ValidationMode;
import dev.gantry.proxy.admin.MetricsRegistry;
import dev.gantry.proxy.admin.ProxyMetrics;
import dev.gantry.proxy.config.ConfigCompiler;
import dev.gantry.proxy.config.ConfigRejectedException;
import dev.gantry.proxy.tls.CertificateResolver;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code --check}: HAProxy's {@code -c}. Prints every problem as {@code file:line: path: message}; a valid
 * document is then compiled as the proxy would serve it, so certificate files are read and checked too.
 */
final class Check {

  private Check() {
  }

  static int run(Path file) throws IOException {
    LoadResult result = ModelLoader.load(file, ValidationMode.STANDALONE);
    if (!result.ok()) {
      for (Diagnostic d : result.diagnostics()) {
        System.err.println(d);
      }
      return Main.EXIT_INVALID;
    }
    try {
      new ConfigCompiler(new ProxyMetrics(new MetricsRegistry()), new dev.gantry.proxy.upstream.UpstreamRegistry())
          .compile(result.loadBalancers(), 1, CertificateResolver.files(file.toAbsolutePath().getParent()));
    } catch (ConfigRejectedException e) {
      e.problems().forEach(p -> System.err.println(file + ": " + p));
      return Main.EXIT_INVALID;
    }
    System.out.println(file + ": " + result.loadBalancers().size() + " load balancer(s), configuration valid");
    return 0;
  }
}
