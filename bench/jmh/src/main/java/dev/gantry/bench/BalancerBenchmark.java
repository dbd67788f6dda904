package dev.gantry.bench;

import dev.gantry.model.Balance;
import dev.gantry.proxy.upstream.BalancedEndpoint;
import dev.gantry.proxy.upstream.Balancer;
import dev.gantry.proxy.upstream.EndpointState;
import dev.gantry.proxy.upstream.UpstreamRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
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

/** One endpoint pick per algorithm, over 3 or 100 endpoints. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BalancerBenchmark {

  record Ep(String label, int weight, EndpointState state) implements BalancedEndpoint {
  }

  @Param({"RoundRobin", "LeastConnections", "Random", "SourceHash"})
  String balance;

  @Param({"3", "100"})
  int endpoints;

  Balancer<Ep> balancer;
  InetAddress client;

  @Setup
  public void setup() throws UnknownHostException {
    UpstreamRegistry registry = new UpstreamRegistry();
    List<Ep> eps = new ArrayList<>();
    for (int i = 0; i < endpoints; i++) {
      String label = "10.0." + (i / 250) + "." + (1 + i % 250) + ":80";
      eps.add(new Ep(label, 1 + i % 3, registry.endpoint("lb", "b", label)));
    }
    balancer = Balancer.of(Balance.valueOf(balance), eps);
    client = InetAddress.getByName("192.0.2.10");
  }

  @Benchmark
  public Ep pick() {
    return balancer.pick(client, System.nanoTime());
  }
}
