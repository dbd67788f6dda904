package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A route answered by the proxy itself with a redirect (Gateway API's RequestRedirect): the {@code Location}
 * is the request's URL with the parts given here replaced. Left out, the scheme is the listener's, the host
 * the request's, the path and query the request's. The port, left out, is the well-known port of
 * {@code scheme} when it is set, else the listener's port; a port that is the default of the Location's
 * scheme (80 for http, 443 for https) is not written. {@code path} replaces the whole path, {@code pathPrefix}
 * the matched prefix, as {@link Rewrite} does; the query is kept.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Redirect(String scheme, String host, Integer port, String path, String pathPrefix, Integer status) {

  public static final List<String> SCHEMES = List.of("http", "https");
  public static final List<Integer> STATUSES = List.of(301, 302, 303, 307, 308);
  public static final int DEFAULT_STATUS = 302;

  public int statusOrDefault() {
    return status == null ? DEFAULT_STATUS : status;
  }
}
