package dev.gantry.proxy.tls;

/** The text of one PEM file and where it came from (the resolved path), so that errors can name it. */
public record PemFile(String source, byte[] text) {

  @Override
  public String toString() {
    return "PemFile(" + source + ")";
  }
}
