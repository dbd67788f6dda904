package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Changes to the request before forwarding (Gateway API's URLRewrite): {@code host} replaces the Host header,
 * {@code path} the whole path (ReplaceFullPath), {@code pathPrefix} the matched path prefix
 * (ReplacePrefixMatch). The query is kept. At most one of {@code path} and {@code pathPrefix}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rewrite(String pathPrefix, String path, String host) {

  /** A prefix rewrite only, as most routes write it. */
  public Rewrite(String pathPrefix) {
    this(pathPrefix, null, null);
  }
}
