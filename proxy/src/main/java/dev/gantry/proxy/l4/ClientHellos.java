package dev.gantry.proxy.l4;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the server name (SNI, RFC 6066) from a TLS ClientHello without terminating TLS. Every length field
 * is checked against the bytes that are there: a ClientHello that does not add up is malformed, never
 * guessed at.
 */
public final class ClientHellos {

  /** A ClientHello that does not parse. */
  public static final class MalformedClientHelloException extends DecoderException {
    MalformedClientHelloException(String message) {
      super(message);
    }
  }

  private static final int EXTENSION_SERVER_NAME = 0;
  private static final int NAME_TYPE_HOST = 0;
  private static final int MAX_HOST_NAME = 255;

  private ClientHellos() {
  }

  /**
   * The host name of the server_name extension, lower case and without a trailing dot, or null when the
   * ClientHello has none.
   *
   * @param body the ClientHello message after its 4-byte handshake header; not consumed
   * @throws MalformedClientHelloException when a length does not fit or the name is not a host name
   */
  public static String serverName(ByteBuf body) {
    int p = body.readerIndex();
    int end = body.writerIndex();
    p = skip(p, 2 + 32, end, "version and random");
    p = skip(p + 1, need(body, p, 1, end, "session id length"), end, "session id");
    int ciphers = need(body, p, 2, end, "cipher suites length");
    if (ciphers < 2 || (ciphers & 1) != 0) {
      throw new MalformedClientHelloException("cipher suites length " + ciphers);
    }
    p = skip(p + 2, ciphers, end, "cipher suites");
    p = skip(p + 1, need(body, p, 1, end, "compression methods length"), end, "compression methods");
    if (p == end) {
      return null;
    }
    int extensionsEnd = skip(p + 2, need(body, p, 2, end, "extensions length"), end, "extensions");
    if (extensionsEnd != end) {
      throw new MalformedClientHelloException("extensions end before the ClientHello does");
    }
    p += 2;
    String name = null;
    boolean seen = false;
    while (p < extensionsEnd) {
      int type = need(body, p, 2, extensionsEnd, "extension type");
      int length = need(body, p + 2, 2, extensionsEnd, "extension length");
      int dataStart = p + 4;
      p = skip(dataStart, length, extensionsEnd, "extension " + type);
      if (type == EXTENSION_SERVER_NAME) {
        if (seen) {
          throw new MalformedClientHelloException("two server_name extensions");
        }
        seen = true;
        name = hostName(body, dataStart, p);
      }
    }
    return name;
  }

  /** The first host_name entry of a server_name extension's data in [{@code p}, {@code end}). */
  private static String hostName(ByteBuf body, int p, int end) {
    int listEnd = skip(p + 2, need(body, p, 2, end, "server name list length"), end, "server name list");
    if (listEnd != end) {
      throw new MalformedClientHelloException("server name list length does not match its extension");
    }
    p += 2;
    String host = null;
    while (p < listEnd) {
      int type = need(body, p, 1, listEnd, "server name type");
      int length = need(body, p + 1, 2, listEnd, "server name length");
      int nameStart = p + 3;
      p = skip(nameStart, length, listEnd, "server name");
      if (type == NAME_TYPE_HOST && host == null) {
        host = checkHost(body.toString(nameStart, length, StandardCharsets.ISO_8859_1));
      }
    }
    return host;
  }

  private static String checkHost(String name) {
    String host = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (host.isEmpty() || host.length() > MAX_HOST_NAME) {
      throw new MalformedClientHelloException("server name of " + name.length() + " characters");
    }
    if (host.startsWith(".") || host.endsWith(".") || host.contains("..")) {
      throw new MalformedClientHelloException("server name with an empty label");
    }
    StringBuilder lower = null;
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'
          || (c >= 'A' && c <= 'Z');
      if (!ok) {
        throw new MalformedClientHelloException("server name with character 0x" + Integer.toHexString(c));
      }
      if (c >= 'A' && c <= 'Z') {
        if (lower == null) {
          lower = new StringBuilder(host);
        }
        lower.setCharAt(i, (char) (c + ('a' - 'A')));
      }
    }
    return lower == null ? host : lower.toString();
  }

  /** Reads an unsigned big-endian field of {@code size} bytes at {@code p}, which must end by {@code end}. */
  private static int need(ByteBuf body, int p, int size, int end, String what) {
    if (p + size > end) {
      throw new MalformedClientHelloException("truncated at " + what);
    }
    return size == 1 ? body.getUnsignedByte(p) : body.getUnsignedShort(p);
  }

  private static int skip(int p, int length, int end, String what) {
    if (p + length > end) {
      throw new MalformedClientHelloException("truncated in " + what);
    }
    return p + length;
  }
}
