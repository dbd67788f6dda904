package dev.gantry.proxy.tls.pem;

import java.util.Map;

/**
 * One {@code -----BEGIN label-----} block of a PEM file: its label, its RFC 1421 headers (only legacy
 * encrypted keys have any) and its decoded body. The body is never printed.
 */
public record PemBlock(String label, Map<String, String> headers, byte[] der) {

  public PemBlock {
    headers = Map.copyOf(headers);
  }

  @Override
  public String toString() {
    return "PemBlock(" + label + ", " + der.length + " bytes)";
  }
}
