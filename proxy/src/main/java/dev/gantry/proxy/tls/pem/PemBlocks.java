package dev.gantry.proxy.tls.pem;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits PEM text into its blocks, in file order. Text outside the blocks (comments, the summaries
 * {@code openssl x509 -text} writes) is skipped. A block without its END line or with a body that is not
 * base64 is refused with a message that names the block's label and never quotes its body.
 */
public final class PemBlocks {

  private static final String BEGIN = "-----BEGIN ";
  private static final String DASHES = "-----";

  private PemBlocks() {
  }

  public static List<PemBlock> read(byte[] text) {
    String[] lines = new String(text, StandardCharsets.US_ASCII).split("\n", -1);
    List<PemBlock> blocks = new ArrayList<>();
    int i = 0;
    while (i < lines.length) {
      String line = lines[i++].strip();
      if (!line.startsWith(BEGIN) || !line.endsWith(DASHES) || line.length() < BEGIN.length() + DASHES.length()) {
        continue;
      }
      String label = line.substring(BEGIN.length(), line.length() - DASHES.length());
      String end = "-----END " + label + DASHES;
      Map<String, String> headers = new LinkedHashMap<>();
      StringBuilder body = new StringBuilder();
      boolean ended = false;
      while (i < lines.length) {
        String l = lines[i++].strip();
        if (l.equals(end)) {
          ended = true;
          break;
        }
        if (l.startsWith(BEGIN)) {
          break;
        }
        int colon = l.indexOf(':');
        if (colon > 0 && body.length() == 0) {
          // Base64 has no colon, so a line with one before the body starts is a header.
          headers.put(l.substring(0, colon).strip(), l.substring(colon + 1).strip());
        } else {
          body.append(l);
        }
      }
      if (!ended) {
        throw new IllegalArgumentException("the " + label + " block has no END line");
      }
      blocks.add(new PemBlock(label, headers, decode(label, body)));
    }
    return blocks;
  }

  private static byte[] decode(String label, CharSequence body) {
    try {
      return Base64.getDecoder().decode(body.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the " + label + " block is not valid base64");
    }
  }
}
