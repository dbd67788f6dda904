package dev.gantry.operator.translate;

import dev.gantry.model.ObjectKeyRef;
import dev.gantry.model.ReferenceKind;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Reads the PEM text (or DER, for revocation lists) that a {@link ObjectKeyRef} names: a key of a ConfigMap's
 * {@code data} or {@code binaryData}, or of a Secret's {@code data}. Pure; the text itself never goes into a
 * message.
 */
public final class ReferencedPem {

  /** The bytes read, or what is wrong (a finding without the subject, which the caller adds). */
  public record Read(byte[] bytes, String reason, String problem) {

    static Read ok(byte[] bytes) {
      return new Read(bytes, null, null);
    }

    static Read failed(String reason, String problem) {
      return new Read(null, reason, problem);
    }

    public boolean failed() {
      return bytes == null;
    }
  }

  private ReferencedPem() {
  }

  /** The bytes of {@code ref}, with {@code defaultKey} when it names none; {@code pem}: must be PEM text. */
  public static Read read(ObjectKeyRef ref, String defaultKey, boolean pem, ClusterRefs refs) {
    String key = ref.keyOr(defaultKey);
    byte[] bytes;
    String reason;
    if (ref.kind() == ReferenceKind.Secret) {
      Secret secret = refs.secrets().get(ref.name());
      if (secret == null) {
        return Read.failed(Finding.SECRET_NOT_FOUND, "Secret \"" + ref.name() + "\" not found");
      }
      bytes = decode(secret.getData() == null ? null : secret.getData().get(key));
      reason = Finding.INVALID_SECRET;
    } else {
      ConfigMap map = refs.configMaps().get(ref.name());
      if (map == null) {
        return Read.failed(Finding.CONFIG_MAP_NOT_FOUND, "ConfigMap \"" + ref.name() + "\" not found");
      }
      String text = map.getData() == null ? null : map.getData().get(key);
      bytes = text != null ? text.getBytes(StandardCharsets.UTF_8)
          : decode(map.getBinaryData() == null ? null : map.getBinaryData().get(key));
      reason = Finding.INVALID_CONFIG_MAP;
    }
    if (bytes == null) {
      return Read.failed(reason, ref.describe(defaultKey) + " not found");
    }
    if (pem && !new String(bytes, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
      return Read.failed(reason, ref.describe(defaultKey) + " holds no PEM certificate (BEGIN CERTIFICATE)");
    }
    return Read.ok(bytes);
  }

  /** Reads every reference of a CA bundle and joins them into one PEM bundle; the first failure wins. */
  static Read bundle(List<ObjectKeyRef> refs, String defaultKey, ClusterRefs cluster) {
    StringBuilder joined = new StringBuilder();
    for (ObjectKeyRef ref : refs) {
      Read r = read(ref, defaultKey, true, cluster);
      if (r.failed()) {
        return r;
      }
      String text = new String(r.bytes(), StandardCharsets.US_ASCII);
      joined.append(text);
      if (!text.endsWith("\n")) {
        joined.append('\n');
      }
    }
    return Read.ok(joined.toString().getBytes(StandardCharsets.US_ASCII));
  }

  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static byte[] decode(String base64) {
    if (base64 == null) {
      return null;
    }
    try {
      return Base64.getMimeDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
