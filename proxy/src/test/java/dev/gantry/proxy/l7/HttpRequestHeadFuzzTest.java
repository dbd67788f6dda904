package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gantry.model.LoadResult;
import dev.gantry.model.ModelLoader;
import dev.gantry.model.ValidationMode;
import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.admin.MetricsRegistry;
import dev.gantry.proxy.admin.ProxyMetrics;
import dev.gantry.proxy.config.ActiveConfig;
import dev.gantry.proxy.config.ConfigCompiler;
import dev.gantry.proxy.config.ListenerRuntime;
import dev.gantry.proxy.upstream.UpstreamPools;
import dev.gantry.proxy.upstream.UpstreamRegistry;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;

/**
 * Any bytes from a client, through the HTTP/1.1 server codec and the proxy's request handling up to the
 * dispatch to a backend (whose connection cannot be made here, so a routed request is answered 502 or 503):
 * no exception escapes the pipeline, every buffer is released once the connection is gone, and what the
 * client gets is valid HTTP responses, or nothing and a close; a complete request head is always answered.
 * The first input byte chooses the listener (with or without a default backend), the second where the
 * bytes are cut into two reads. Seeded with real request heads.
 */
class HttpRequestHeadFuzzTest {

  private static final String MODEL = """
      apiVersion: gantry.dev/v1alpha1
      kind: LoadBalancer
      metadata: {name: shop}
      spec:
        listeners:
        - {name: http, port: 8080, protocol: HTTP, defaultBackend: main-site}
        - {name: strict, port: 8081, protocol: HTTP}
        routes:
        - name: community
          hosts: ["shop.example.com", "*.example.com"]
          paths: [{type: Prefix, value: /community}]
          headers: [{name: X-Canary, value: "1"}]
          methods: [GET, POST]
          backends: [{name: forum}]
          rewrite: {pathPrefix: /}
          requestHeaders: {set: {X-Env: prod}, remove: [X-Debug]}
        - name: exact
          paths: [{type: Exact, value: /empty}]
          backends: [{name: nowhere}]
        - name: everything
          listeners: [strict]
          hosts: ["www.example.com"]
          backends: [{name: main-site}]
        backends:
        - name: main-site
          endpoints: [{address: 127.0.0.1, port: 9}]
        - name: forum
          endpoints: [{address: 127.0.0.1, port: 9}, {address: 127.0.0.2, port: 9}]
        - name: nowhere
          endpoints: []
      """;
  private static final ActiveConfig CONFIG = new ActiveConfig();

  static {
    LoadResult model = ModelLoader.load("fuzz.yaml", MODEL, ValidationMode.RESOLVED);
    if (!model.ok()) {
      throw new IllegalStateException(model.diagnostics().toString());
    }
    CONFIG.publish(new ConfigCompiler(new ProxyMetrics(new MetricsRegistry()), new UpstreamRegistry())
        .compile(model.loadBalancers(), 1));
  }

  @FuzzTest(maxDuration = "16s")
  void anyBytesGetValidResponsesOrACloseAndLeakNothing(byte[] input) {
    if (input.length < 2) {
      return;
    }
    int port = (input[0] & 1) == 0 ? 8080 : 8081;
    byte[] bytes = Arrays.copyOfRange(input, 2, input.length);
    int cut = Math.min(input[1] & 0xff, bytes.length);

    CountingAllocator alloc = new CountingAllocator();
    EmbeddedChannel client = new ClientConnection();
    client.config().setAllocator(alloc);
    ListenerRuntime listener = CONFIG.current().listener(port);
    UpstreamPools pools = new UpstreamPools(client.eventLoop(), NioSocketChannel.class,
        new WriteBufferWaterMark(32 * 1024, 64 * 1024));
    HttpPipeline.addAfter(client.pipeline().firstContext(), listener.stats(), CONFIG, port, pools,
        AccessLog.disabled());

    // writeInbound rethrows whatever reaches the end of the pipeline
    client.writeInbound(alloc.buffer(cut).writeBytes(bytes, 0, cut));
    if (client.isOpen()) {
      client.writeInbound(alloc.buffer(bytes.length - cut).writeBytes(bytes, cut, bytes.length - cut));
    }
    client.runPendingTasks();
    List<ByteBuf> sent = new ArrayList<>();
    for (Object o; (o = client.readOutbound()) != null; ) {
      sent.add((ByteBuf) o);
    }
    boolean closed = !client.isOpen();
    client.finishAndReleaseAll();
    ByteBuf answer = alloc.buffer();
    sent.forEach(b -> {
      answer.writeBytes(b);
      b.release();
    });
    try {
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      if (answer.isReadable()) {
        assertValidResponses(answer.retainedDuplicate(), requestMethods(bytes));
      } else if (completeHead(text)) {
        fail("a complete request head got no answer, and the connection was " + (closed ? "closed" : "left open"));
      }
    } finally {
      answer.release();
    }
    assertThat(alloc.unreleased()).as("buffers not released").isEmpty();
  }

  /** Responses the client's own decoder reads without a failure, the first one complete. */
  private static void assertValidResponses(ByteBuf bytes, Queue<HttpMethod> methods) {
    EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder() {
      @Override
      protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        // the answer to a HEAD request has the headers of a body but not the body
        return HttpMethod.HEAD.equals(methods.poll()) || super.isContentAlwaysEmpty(msg);
      }
    });
    decoder.writeInbound(bytes);
    decoder.finish();
    List<HttpObject> read = new ArrayList<>();
    for (Object o; (o = decoder.readInbound()) != null; ) {
      read.add((HttpObject) o);
    }
    try {
      assertThat(read).as("decoded responses").isNotEmpty();
      assertThat(read.get(0)).isInstanceOf(HttpResponse.class);
      assertThat(read).allSatisfy(o -> assertThat(o.decoderResult().isSuccess()).as("%s", o).isTrue());
      assertThat(read).as("a complete first response").anyMatch(o -> o instanceof LastHttpContent);
      HttpResponse first = (HttpResponse) read.get(0);
      int status = first.status().code();
      String grpcStatus = first.headers().get("grpc-status");
      if (grpcStatus != null) {
        // a gRPC request (content-type application/grpc) is answered in gRPC's terms: 200 and a failed status
        assertThat(status).as("status of a gRPC answer").isEqualTo(200);
        assertThat(grpcStatus).as("grpc-status of a request that cannot reach a backend").isNotEqualTo("0");
      } else {
        assertThat(status).as("status of a request that cannot reach a backend").isBetween(300, 599);
      }
    } finally {
      read.forEach(ReferenceCountUtil::release);
    }
  }

  /** The methods of the requests the proxy's own server codec reads from {@code bytes}, in order. */
  private static Queue<HttpMethod> requestMethods(byte[] bytes) {
    EmbeddedChannel decoder = new EmbeddedChannel(HttpPipeline.serverCodec());
    decoder.writeInbound(Unpooled.wrappedBuffer(bytes));
    decoder.finish();
    Queue<HttpMethod> methods = new ArrayDeque<>();
    for (Object o; (o = decoder.readInbound()) != null; ) {
      if (o instanceof HttpRequest r) {
        methods.add(r.method());
      }
      ReferenceCountUtil.release(o);
    }
    return methods;
  }

  /** A request line and the empty line that ends the head: the codec must have come to a decision. */
  private static boolean completeHead(String text) {
    String start = text.replaceFirst("^[\r\n]*", "");
    int end = start.indexOf("\r\n\r\n");
    return end > 0 && !start.substring(0, end).isBlank();
  }

  /** A client connection from 192.0.2.10, as the proxy handler expects of a socket. */
  private static final class ClientConnection extends EmbeddedChannel {

    ClientConnection() {
      super(new ChannelInboundHandlerAdapter());
    }

    @Override
    protected SocketAddress remoteAddress0() {
      return new InetSocketAddress("192.0.2.10", 51000);
    }

    @Override
    protected SocketAddress localAddress0() {
      return new InetSocketAddress("127.0.0.1", 8080);
    }
  }

  /** Hands out unpooled heap buffers and remembers each, to find the ones never released. */
  private static final class CountingAllocator extends AbstractByteBufAllocator {

    private final List<ByteBuf> allocated = new ArrayList<>();

    CountingAllocator() {
      super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      ByteBuf b = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
      allocated.add(b);
      return b;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      return newHeapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }

    List<ByteBuf> unreleased() {
      return allocated.stream().filter(b -> b.refCnt() != 0).toList();
    }
  }
}
