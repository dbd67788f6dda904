package dev.gantry.proxy.config;

import dev.gantry.model.Cors;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A route's {@link Cors}, compiled: which origins it allows, and the headers of the answers. The allowed origin
 * itself is always echoed, never {@code *}, so that answers with credentials are valid too; {@code *} in
 * {@code allowMethods} or {@code allowHeaders} answers what the preflight asked for, for the same reason.
 */
public final class CorsPolicy {

  private final boolean anyOrigin;
  private final String[] exact;
  /** Each wildcard origin as the text before and after its {@code *}. */
  private final String[] wildcardPrefix;
  private final String[] wildcardSuffix;
  private final String methods;
  private final boolean anyMethod;
  private final String headers;
  private final boolean anyHeader;
  private final String exposeHeaders;
  private final boolean credentials;
  private final String maxAge;

  private CorsPolicy(Cors c) {
    List<String> exactList = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    List<String> suffixes = new ArrayList<>();
    boolean any = false;
    for (String o : c.allowOriginsOrEmpty()) {
      String origin = o.toLowerCase(Locale.ROOT);
      int star = origin.indexOf('*');
      if (origin.equals("*")) {
        any = true;
      } else if (star >= 0) {
        prefixes.add(origin.substring(0, star));
        suffixes.add(origin.substring(star + 1));
      } else {
        exactList.add(origin);
      }
    }
    this.anyOrigin = any;
    this.exact = exactList.toArray(new String[0]);
    this.wildcardPrefix = prefixes.toArray(new String[0]);
    this.wildcardSuffix = suffixes.toArray(new String[0]);
    this.anyMethod = c.allowMethodsOrEmpty().contains("*");
    this.methods = joined(c.allowMethodsOrEmpty());
    this.anyHeader = c.allowHeadersOrEmpty().contains("*");
    this.headers = joined(c.allowHeadersOrEmpty());
    this.credentials = c.allowCredentialsOrDefault();
    // browsers read a * of exposed headers literally on answers with credentials: it would expose nothing
    this.exposeHeaders = joined(c.exposeHeadersOrEmpty().stream().filter(h -> !credentials || !h.equals("*"))
        .toList());
    this.maxAge = c.maxAge() == null ? null : Integer.toString(c.maxAge());
  }

  /** The compiled policy, or null for a route without {@code cors}. */
  public static CorsPolicy of(Cors cors) {
    return cors == null ? null : new CorsPolicy(cors);
  }

  /** Whether requests from {@code origin} ({@code scheme://host[:port]}) are allowed; case is ignored. */
  public boolean allows(String origin) {
    if (anyOrigin) {
      return true;
    }
    for (String e : exact) {
      if (e.equalsIgnoreCase(origin)) {
        return true;
      }
    }
    for (int i = 0; i < wildcardPrefix.length; i++) {
      String p = wildcardPrefix[i];
      String s = wildcardSuffix[i];
      // the * stands for one label or more: something must be in its place
      if (origin.length() > p.length() + s.length() && origin.regionMatches(true, 0, p, 0, p.length())
          && origin.regionMatches(true, origin.length() - s.length(), s, 0, s.length())) {
        return true;
      }
    }
    return false;
  }

  /** The headers of the answer to a preflight from an allowed {@code origin}, asking with {@code request}'s headers. */
  public void addPreflight(HttpHeaders out, String origin, HttpHeaders request) {
    addActual(out, origin);
    String method = anyMethod ? request.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD) : methods;
    if (method != null && !method.isEmpty()) {
      out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, method);
    }
    String asked = anyHeader ? request.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS) : headers;
    if (asked != null && !asked.isEmpty()) {
      out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, asked);
    }
    if (maxAge != null) {
      out.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, maxAge);
    }
  }

  /** The headers added to the backend's answer to a request from an allowed {@code origin}. */
  public void addActual(HttpHeaders out, String origin) {
    out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    if (credentials) {
      out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    }
    if (!exposeHeaders.isEmpty()) {
      out.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, exposeHeaders);
    }
    // the answer depends on the Origin: caches must keep one per origin
    out.add(HttpHeaderNames.VARY, "Origin");
  }

  private static String joined(List<String> values) {
    return String.join(", ", values);
  }
}
