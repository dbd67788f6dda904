package dev.gantry.proxy.http1;

import dev.gantry.bench.SampleHeads;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Building a message from a head the gate has passed, alone: {@link SampleHeads}' browser request into its
 * request and headers, and its nginx response into the {@link VerbatimResponse} it is relayed as (the field
 * names read, the Content-Length and Connection values looked at, no headers built). No channel, no buffer:
 * the steadiest measure of the parser's own scanning. It lives in the codec's package because the parser is
 * package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HeadParsingBenchmark {

  private static final byte[] REQUEST = SampleHeads.bytes(SampleHeads.REQUEST);
  private static final byte[] RESPONSE = SampleHeads.bytes(SampleHeads.RESPONSE);

  @Benchmark
  public HttpRequest requestHead() {
    return HeadParser.request(REQUEST, REQUEST.length).message();
  }

  @Benchmark
  public HttpResponse responseHead() {
    return HeadParser.response(RESPONSE, RESPONSE.length).message();
  }
}
