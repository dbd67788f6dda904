package dev.gantry.operator.ingress;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Names of generated routes and backends: DNS labels (at most 63 characters), stable for the same input. */
public final class Labels {

  static final int MAX = 63;

  private Labels() {
  }

  /**
   * {@code prefix-part-part...} lowered and cleaned to a DNS label; when too long, shortened and ended with
   * a hash of the whole, so distinct inputs stay distinct.
   */
  public static String of(String prefix, Object... parts) {
    StringBuilder sb = new StringBuilder(prefix);
    for (Object p : parts) {
      sb.append('-').append(p);
    }
    String full = sb.toString();
    String clean = full.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("-+", "-");
    clean = trim(clean);
    if (clean.length() <= MAX && clean.equals(full)) {
      return clean;
    }
    String hash = sha256(full).substring(0, 8);
    String head = trim(clean.substring(0, Math.min(clean.length(), MAX - hash.length() - 1)));
    return head + "-" + hash;
  }

  private static String trim(String s) {
    String out = s;
    while (out.endsWith("-")) {
      out = out.substring(0, out.length() - 1);
    }
    while (out.startsWith("-")) {
      out = out.substring(1);
    }
    return out;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
