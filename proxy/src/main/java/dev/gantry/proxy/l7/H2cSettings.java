package dev.gantry.proxy.l7;

import io.netty.handler.codec.http2.Http2Settings;
import java.util.Base64;

/**
 * The {@code HTTP2-Settings} field of an HTTP/1.1 request asking to upgrade to h2c (RFC 7540 §3.2.1): the payload
 * of a SETTINGS frame in base64url. Settings this proxy does not know are ignored, as in a SETTINGS frame.
 */
final class H2cSettings {

  private static final int ENTRY_LENGTH = 6;
  private static final int HIGHEST_KNOWN_ID = 6;

  private H2cSettings() {
  }

  /** The settings, or null when the field is not base64url of whole settings with values in their ranges. */
  static Http2Settings decode(String field) {
    if (field == null) {
      return null;
    }
    byte[] payload;
    try {
      payload = Base64.getUrlDecoder().decode(field.trim());
    } catch (IllegalArgumentException notBase64Url) {
      return null;
    }
    if (payload.length % ENTRY_LENGTH != 0) {
      return null;
    }
    Http2Settings settings = new Http2Settings();
    for (int i = 0; i < payload.length; i += ENTRY_LENGTH) {
      char id = (char) (((payload[i] & 0xff) << 8) | (payload[i + 1] & 0xff));
      long value = ((payload[i + 2] & 0xffL) << 24) | ((payload[i + 3] & 0xffL) << 16)
          | ((payload[i + 4] & 0xffL) << 8) | (payload[i + 5] & 0xffL);
      if (id == 0 || id > HIGHEST_KNOWN_ID) {
        continue;
      }
      try {
        settings.put(id, Long.valueOf(value));
      } catch (IllegalArgumentException outOfRange) {
        return null;
      }
    }
    return settings;
  }
}
