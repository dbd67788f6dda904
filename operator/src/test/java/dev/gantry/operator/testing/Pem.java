package dev.gantry.operator.testing;

/** PEM-shaped text: the operator only checks the armour and never parses keys, so tests need no real ones. */
public final class Pem {

  private Pem() {
  }

  public static String certificate(String marker) {
    return "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getEncoder().encodeToString(marker.getBytes())
        + "\n-----END CERTIFICATE-----\n";
  }

  public static String key(String marker) {
    return "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getEncoder().encodeToString(marker.getBytes())
        + "\n-----END PRIVATE KEY-----\n";
  }
}
