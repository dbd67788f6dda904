package dev.gantry.proxy.l7;

import dev.gantry.bench.SampleHeads;
import dev.gantry.model.LoadResult;
import dev.gantry.model.ModelLoader;
import dev.gantry.model.ValidationMode;
import dev.gantry.proxy.admin.MetricsRegistry;
import dev.gantry.proxy.admin.ProxyMetrics;
import dev.gantry.proxy.config.ConfigCompiler;
import dev.gantry.proxy.config.ListenerRuntime;
import dev.gantry.proxy.http1.BackendCodec;
import dev.gantry.proxy.http1.VerbatimRequest;
import dev.gantry.proxy.upstream.UpstreamRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The heads of one proxied HTTP/1.1 exchange, without sockets: a browser-like request head decoded by the
 * client-side codec, checked and prepared for the backend, encoded by the backend-side codec; an nginx-like
 * response head decoded there, checked and prepared for the client, encoded back. Bodies are empty. It lives
 * in the handlers' package because the steps it calls are package-private. Run with {@code -prof gc}: bytes
 * allocated per exchange are steadier than time on a busy machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HeaderPathBenchmark {

  private final ByteBuf request = Unpooled.unreleasableBuffer(
      Unpooled.directBuffer().writeBytes(SampleHeads.bytes(SampleHeads.REQUEST)));
  private final ByteBuf response = Unpooled.unreleasableBuffer(
      Unpooled.directBuffer().writeBytes(SampleHeads.bytes(SampleHeads.RESPONSE)));
  private final ForwardingHeaders.Cache forwarded = new ForwardingHeaders.Cache();
  private EmbeddedChannel client;
  private EmbeddedChannel backend;
  private ListenerRuntime listener;
  private HttpResponse decodedResponse;

  @Setup
  public void setup() {
    LoadResult r = ModelLoader.load("bench.yaml", """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: bench}
        spec:
          listeners:
          - {name: http, port: 18100, protocol: HTTP, defaultBackend: b}
          backends:
          - name: b
            endpoints:
            - {address: 10.0.0.1, port: 8080}
        """, ValidationMode.STANDALONE);
    if (!r.ok()) {
      throw new IllegalStateException(r.diagnostics().toString());
    }
    listener = new ConfigCompiler(new ProxyMetrics(new MetricsRegistry()), new UpstreamRegistry())
        .compile(r.loadBalancers(), 1).listener(18100);
    client = new EmbeddedChannel(HttpPipeline.serverCodec());
    backend = new EmbeddedChannel(new BackendCodec(new HttpDecoderConfig()
        .setStrictLineParsing(true).setUseRfc9112TransferEncoding(true), 8192, 32768));
    EmbeddedChannel decoding = new EmbeddedChannel(new BackendCodec(new HttpDecoderConfig(), 8192, 32768));
    decoding.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
    decoding.writeInbound(response.duplicate());
    decodedResponse = decoding.readInbound();
    decoding.finishAndReleaseAll();
  }

  @TearDown
  public void tearDown() {
    client.finishAndReleaseAll();
    backend.finishAndReleaseAll();
  }

  @Benchmark
  public boolean exchangeHeads() {
    client.writeInbound(request.duplicate());
    HttpRequest req = client.readInbound();
    ReferenceCountUtil.release(client.readInbound());
    if (RequestValidator.check(req) != null) {
      throw new IllegalStateException("request refused");
    }
    // As the exchange handler reads it: from a head kept as it arrived without building its headers.
    VerbatimRequest verbatim = VerbatimRequest.untouched(req);
    String host = verbatim != null ? verbatim.host() : req.headers().get("host");
    RequestHeads.prepare(req, null, null, req.uri(), listener, "192.0.2.7", host, forwarded,
        ClientIdentity.ANONYMOUS);
    backend.writeOutbound(req, LastHttpContent.EMPTY_LAST_CONTENT);
    drainOutbound(backend);

    backend.writeInbound(response.duplicate());
    HttpResponse resp = backend.readInbound();
    ReferenceCountUtil.release(backend.readInbound());
    boolean keepAlive = ResponseFraming.acceptable(resp) && ResponseHeads.backendKeepsAlive(resp, HttpMethod.GET)
        && ResponseHeads.prepare(resp, null, HttpVersion.HTTP_1_1, HttpMethod.GET, true);
    client.writeOutbound(resp, LastHttpContent.EMPTY_LAST_CONTENT);
    drainOutbound(client);
    return keepAlive;
  }

  /** Reading the Connection options of a head that has only {@code keep-alive}: it should allocate nothing. */
  @Benchmark
  public boolean connectionOptions() {
    return ConnectionOptions.namesFramingHeader(decodedResponse.headers())
        || ConnectionOptions.namesOtherFields(decodedResponse.headers());
  }

  private static void drainOutbound(EmbeddedChannel ch) {
    Object m;
    while ((m = ch.readOutbound()) != null) {
      ReferenceCountUtil.release(m);
    }
  }
}
