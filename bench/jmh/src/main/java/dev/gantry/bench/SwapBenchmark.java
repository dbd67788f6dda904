package dev.gantry.bench;

import dev.gantry.proxy.GantryProxy;
import dev.gantry.proxy.ProxyOptions;
import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.config.FileConfigSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole reload of a large configuration file, through the code a running proxy uses: the file is read,
 * parsed, validated, compiled and swapped into a started proxy whose listeners are bound ({@link
 * FileConfigSource#reload}, as on SIGHUP). Shapes: 10,000 routes in one LoadBalancer, and 1,000
 * LoadBalancers of 10 routes each (1,000 listeners); each as YAML and as JSON.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class SwapBenchmark {

  /** First listener port of the 1,000-LoadBalancer shape: ports up to 1,000 above it are bound. */
  private static final int FIRST_PORT = Integer.getInteger("gantry.bench.firstPort", 27000);

  @Param({"routes-10000", "lbs-1000"})
  String shape;

  @Param({"yaml", "json"})
  String format;

  Path directory;
  GantryProxy proxy;
  FileConfigSource source;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    String yaml = shape.equals("routes-10000") ? Configs.manyRoutes(10_000)
        : Configs.manyLoadBalancers(1_000, 10, FIRST_PORT);
    directory = Files.createTempDirectory("gantry-swap-bench");
    Path file = directory.resolve("gantry." + format);
    Files.writeString(file, format.equals("json") ? Configs.toJson(yaml) : yaml);
    proxy = GantryProxy.start(new ProxyOptions("127.0.0.1", "127.0.0.1", -1, 1, "auto"), AccessLog.disabled());
    source = new FileConfigSource(file, proxy);
    List<String> problems = source.loadInitial();
    if (!problems.isEmpty()) {
      throw new IllegalStateException(String.join("\n", problems));
    }
  }

  /** Re-reads the file and serves it again, as on SIGHUP: nothing is skipped for the text being unchanged. */
  @Benchmark
  public List<String> reload() {
    List<String> problems = source.reload("SIGHUP");
    if (!problems.isEmpty()) {
      throw new IllegalStateException(String.join("\n", problems));
    }
    return problems;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    source.close();
    proxy.close();
    try (var files = Files.list(directory)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(directory);
  }
}
