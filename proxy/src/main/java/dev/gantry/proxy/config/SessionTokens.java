package dev.gantry.proxy.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * The session tokens of sticky routes: {@code <key>.<issued>.<refreshed>}. The key is 11 base64url characters,
 * the first 64 bits of SHA-256 over the load balancer, the backend and the endpoint, so it names an endpoint
 * without showing its address and every proxy replica computes the same one. The two times are the seconds
 * since the epoch, in base 36, when the session began and when its token was last issued. Pure functions.
 */
public final class SessionTokens {

  public static final int KEY_LENGTH = 11;
  /** Time fields longer than this are refused unread: 2^64 seconds takes 13 base-36 digits. */
  private static final int MAX_TIME_DIGITS = 12;

  private SessionTokens() {
  }

  /** The key of one endpoint of one backend of one load balancer. */
  public static String key(String lbId, String backend, String endpointLabel) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] digest = sha.digest((lbId + '\0' + backend + '\0' + endpointLabel).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  public static String token(String key, long issuedSeconds, long refreshedSeconds) {
    return key + '.' + Long.toString(issuedSeconds, 36) + '.' + Long.toString(refreshedSeconds, 36);
  }

  /** Whether {@code token} from {@code start} to {@code end} has a token's shape: a key and two short fields. */
  public static boolean wellFormed(CharSequence token, int start, int end) {
    int firstDot = start + KEY_LENGTH;
    if (end - start < KEY_LENGTH + 4 || token.charAt(firstDot) != '.') {
      return false;
    }
    int secondDot = secondDot(token, start, end);
    return secondDot > firstDot + 1 && secondDot < end - 1 && secondDot - firstDot - 1 <= MAX_TIME_DIGITS
        && end - secondDot - 1 <= MAX_TIME_DIGITS;
  }

  /** The position of the dot before the refresh time of a token that begins at {@code start}. */
  public static int secondDot(CharSequence token, int start, int end) {
    for (int i = start + KEY_LENGTH + 1; i < end; i++) {
      if (token.charAt(i) == '.') {
        return i;
      }
    }
    return -1;
  }

  /** A base-36 number of {@code token} from {@code start} to {@code end}, or -1 when it is none. */
  public static long base36(CharSequence token, int start, int end) {
    long n = 0;
    for (int i = start; i < end; i++) {
      int d = Character.digit(token.charAt(i), 36);
      if (d < 0) {
        return -1;
      }
      n = n * 36 + d;
    }
    return n;
  }
}
