package dev.gantry.bench;

import dev.gantry.model.LoadResult;
import dev.gantry.model.ModelLoader;
import dev.gantry.model.ValidationMode;
import dev.gantry.proxy.admin.MetricsRegistry;
import dev.gantry.proxy.admin.ProxyMetrics;
import dev.gantry.proxy.config.ConfigCompiler;
import dev.gantry.proxy.l7.HostNames;
import dev.gantry.proxy.l7.RouteMatch;
import dev.gantry.proxy.l7.Router;
import dev.gantry.proxy.upstream.UpstreamRegistry;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
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

/** Route lookup per request, on tables of 10 to 10,000 routes: the cost should barely grow. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouterBenchmark {

  @Param({"10", "100", "1000", "10000"})
  int routes;

  Router router;
  HttpHeaders headers = new DefaultHttpHeaders();
  String exactHost;
  String exactHostPath;
  String wildcardHost;
  String sharedHostPath;

  @Setup
  public void setup() {
    LoadResult r = ModelLoader.load("bench.yaml", Configs.manyRoutes(routes), ValidationMode.STANDALONE);
    if (!r.ok()) {
      throw new IllegalStateException(r.diagnostics().toString());
    }
    router = new ConfigCompiler(new ProxyMetrics(new MetricsRegistry()), new UpstreamRegistry())
        .compile(r.loadBalancers(), 1).listener(18100).router();
    // Routes from the middle of the table: index i % 3 says which kind (see Configs.manyRoutes).
    int middle = routes / 3 / 2 * 3;
    exactHost = "site" + middle + ".example.com";
    exactHostPath = "/app/" + middle + "/cart?id=7";
    wildcardHost = "www.tenant" + (middle + 1) + ".example.org";
    sharedHostPath = "/v1/items/" + (middle + 2);
  }

  @Benchmark
  public RouteMatch exactHostPrefixPath() {
    return router.route(exactHost, exactHostPath, HttpMethod.GET, headers);
  }

  @Benchmark
  public RouteMatch wildcardHost() {
    return router.route(wildcardHost, "/anything", HttpMethod.GET, headers);
  }

  @Benchmark
  public RouteMatch sharedHostExactPath() {
    return router.route("api.example.com", sharedHostPath, HttpMethod.GET, headers);
  }

  @Benchmark
  public RouteMatch noMatchFallsThrough() {
    return router.route("unknown.example.net", "/nothing/here", HttpMethod.GET, headers);
  }

  @Benchmark
  public String normalizeHostWithPort() {
    return HostNames.normalize("Site1.Example.com:8080");
  }
}
