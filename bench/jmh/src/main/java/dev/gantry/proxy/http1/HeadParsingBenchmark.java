package dev.gantry.proxy.http1;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * Building a message from a head the gate has passed, alone: a browser-like request head into its request
 * and headers, and an nginx-like response head into the {@link VerbatimResponse} it is relayed as (the field
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

  private static final byte[] REQUEST = ("GET /app/items?id=7 HTTP/1.1\r\n"
      + "Host: shop.example.com\r\n"
      + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
      + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
      + "Accept-Language: en-GB,en;q=0.5\r\n"
      + "Accept-Encoding: gzip, deflate, br\r\n"
      + "Connection: keep-alive\r\n"
      + "Cookie: session=5f2b9c0e41d7a3; theme=dark\r\n"
      + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\n"
      + "Server: nginx/1.22.1\r\n"
      + "Date: Mon, 30 Nov 2026 08:00:00 GMT\r\n"
      + "Content-Type: text/html\r\n"
      + "Content-Length: 100\r\n"
      + "Last-Modified: Mon, 30 Nov 2026 07:00:00 GMT\r\n"
      + "Connection: keep-alive\r\n"
      + "ETag: \"6565a1c0-64\"\r\n"
      + "Accept-Ranges: bytes\r\n"
      + "\r\n").getBytes(StandardCharsets.ISO_8859_1);

  @Benchmark
  public HttpRequest requestHead() {
    return HeadParser.request(REQUEST, REQUEST.length).message();
  }

  @Benchmark
  public HttpResponse responseHead() {
    return HeadParser.response(RESPONSE, RESPONSE.length).message();
  }
}
