package dev.gantry.bench;

import dev.gantry.model.LoadBalancer;
import dev.gantry.model.LoadResult;
import dev.gantry.model.ModelCodec;
import dev.gantry.model.ModelLoader;
import dev.gantry.model.ValidationMode;
import dev.gantry.proxy.admin.MetricsRegistry;
import dev.gantry.proxy.admin.ProxyMetrics;
import dev.gantry.proxy.config.CompiledConfig;
import dev.gantry.proxy.config.ConfigCompiler;
import dev.gantry.proxy.upstream.UpstreamRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a reload costs before the swap: parsing and validating the document, then compiling the routing
 * table. Thousands of routes should apply in well under a second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CompileBenchmark {

  @Param({"1000", "5000", "10000"})
  int routes;

  /** The same document written as YAML or as JSON: a configuration should not cost more for being YAML. */
  @Param({"yaml", "json"})
  String format;

  String source;
  List<LoadBalancer> parsed;
  ConfigCompiler compiler;

  @Setup
  public void setup() {
    String yaml = Configs.manyRoutes(routes);
    LoadResult r = ModelLoader.load("bench.yaml", yaml, ValidationMode.STANDALONE);
    if (!r.ok()) {
      throw new IllegalStateException(r.diagnostics().toString());
    }
    parsed = r.loadBalancers();
    source = format.equals("json") ? ModelCodec.toJson(parsed.get(0)) : yaml;
    compiler = new ConfigCompiler(new ProxyMetrics(new MetricsRegistry()), new UpstreamRegistry());
  }

  @Benchmark
  public LoadResult parseAndValidate() {
    return ModelLoader.load("bench." + format, source, ValidationMode.STANDALONE);
  }

  @Benchmark
  public CompiledConfig compile() {
    return compiler.compile(parsed, 2);
  }
}
