package dev.gantry.bench;

import java.nio.charset.StandardCharsets;

/** The HTTP/1.1 heads the head benchmarks read: what a browser sends, and what nginx answers a file with. */
public final class SampleHeads {

  /** A browser's request for a page, with the fields a browser sends. */
  public static final String REQUEST = "GET /app/items?id=7 HTTP/1.1\r\n"
      + "Host: shop.example.com\r\n"
      + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
      + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
      + "Accept-Language: en-GB,en;q=0.5\r\n"
      + "Accept-Encoding: gzip, deflate, br\r\n"
      + "Connection: keep-alive\r\n"
      + "Cookie: session=5f2b9c0e41d7a3; theme=dark\r\n"
      + "Upgrade-Insecure-Requests: 1\r\n"
      + "\r\n";

  /** nginx's answer with an empty file: eight fields, one Content-Length, Connection: keep-alive. */
  public static final String RESPONSE = "HTTP/1.1 200 OK\r\n"
      + "Server: nginx/1.22.1\r\n"
      + "Date: Mon, 30 Nov 2026 08:00:00 GMT\r\n"
      + "Content-Type: text/html\r\n"
      + "Content-Length: 0\r\n"
      + "Last-Modified: Mon, 30 Nov 2026 07:00:00 GMT\r\n"
      + "Connection: keep-alive\r\n"
      + "ETag: \"6565a1c0-64\"\r\n"
      + "Accept-Ranges: bytes\r\n"
      + "\r\n";

  private SampleHeads() {
  }

  public static byte[] bytes(String head) {
    return head.getBytes(StandardCharsets.ISO_8859_1);
  }
}
