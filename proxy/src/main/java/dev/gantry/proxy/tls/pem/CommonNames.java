package dev.gantry.proxy.tls.pem;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import javax.security.auth.x500.X500Principal;

/** Reads the common name (CN) of an X.500 name from its DER, so no string form needs unescaping. */
public final class CommonNames {

  private static final String CN = "2.5.4.3";

  private CommonNames() {
  }

  /** The first CN in the name's encoded order (as a certificate lists it), or null when there is none. */
  public static String of(X500Principal name) {
    DerReader rdns = new DerReader(name.getEncoded()).next(DerReader.SEQUENCE).children();
    while (rdns.hasNext()) {
      DerReader attributes = rdns.next().childrenOf(DerReader.SET);
      while (attributes.hasNext()) {
        DerReader attribute = attributes.next().childrenOf(DerReader.SEQUENCE);
        String type = attribute.next().oid();
        DerReader.Value value = attribute.next();
        if (type.equals(CN)) {
          return new String(value.content(), charset(value.tag()));
        }
      }
    }
    return null;
  }

  private static Charset charset(int tag) {
    return switch (tag) {
      case 0x0c -> StandardCharsets.UTF_8; // UTF8String
      case 0x1e -> StandardCharsets.UTF_16BE; // BMPString
      case 0x1c -> Charset.forName("UTF-32BE"); // UniversalString
      case 0x14 -> StandardCharsets.ISO_8859_1; // TeletexString, as commonly used
      default -> StandardCharsets.US_ASCII; // PrintableString, IA5String
    };
  }
}
