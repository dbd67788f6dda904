package dev.gantry.operator.gateway;

import dev.gantry.model.Cors;
import dev.gantry.model.HeaderModifier;
import dev.gantry.model.Redirect;
import dev.gantry.model.Rewrite;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.gateway.api.HttpRouteResource.Filter;
import dev.gantry.operator.gateway.api.HttpRouteResource.Header;
import dev.gantry.operator.gateway.api.HttpRouteResource.HeaderFilter;
import dev.gantry.operator.gateway.api.HttpRouteResource.PathModifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The filters of an HTTPRoute rule in the model's terms: {@code RequestHeaderModifier} and
 * {@code ResponseHeaderModifier} (set, add, remove), {@code RequestRedirect} (scheme, hostname, port, path,
 * statusCode), {@code URLRewrite} (hostname, path) and {@code CORS}, a path modifier being {@code ReplaceFullPath} or
 * {@code ReplacePrefixMatch}; {@code RequestMirror} is {@link HttpRouteMirrors}'. {@link #unsupported} says why a
 * rule's filters cannot be served as written. Pure.
 */
final class HttpRouteFilters {

  static final String REQUEST_HEADERS = "RequestHeaderModifier";
  static final String RESPONSE_HEADERS = "ResponseHeaderModifier";
  static final String REDIRECT = "RequestRedirect";
  static final String REWRITE = "URLRewrite";
  static final String CORS = "CORS";
  /** The longest {@code Access-Control-Max-Age} the model takes: a day, longer than any browser keeps a preflight. */
  static final int MAX_AGE = 86_400;

  private HttpRouteFilters() {
  }

  /** Why the model cannot serve a rule's filters as written, or null. */
  static String unsupported(HttpRouteResource.Rule rule) {
    List<Filter> filters = filters(rule);
    for (Filter f : filters) {
      String why = switch (f.type() == null ? "" : f.type()) {
        case REQUEST_HEADERS -> f.requestHeaderModifier() == null ? "RequestHeaderModifier has no settings" : null;
        case RESPONSE_HEADERS -> f.responseHeaderModifier() == null ? "ResponseHeaderModifier has no settings" : null;
        case REDIRECT -> redirectUnsupported(f.requestRedirect(), rule);
        case REWRITE -> f.urlRewrite() == null ? "URLRewrite has no settings" : pathUnsupported(f.urlRewrite().path(), rule);
        case CORS -> f.cors() == null ? "CORS has no settings" : null;
        case HttpRouteMirrors.MIRROR -> HttpRouteMirrors.unsupported(f.requestMirror());
        default -> "filter " + f.type() + " is not supported yet";
      };
      if (why != null) {
        return why;
      }
    }
    if (find(rule, REDIRECT) != null && find(rule, REWRITE) != null) {
      return "RequestRedirect and URLRewrite cannot be used on one rule";
    }
    if (find(rule, REDIRECT) != null && find(rule, HttpRouteMirrors.MIRROR) != null) {
      return "RequestMirror on a RequestRedirect rule is not supported: a redirect forwards nothing to copy";
    }
    return null;
  }

  private static String redirectUnsupported(HttpRouteResource.RedirectFilter r, HttpRouteResource.Rule rule) {
    if (r == null) {
      return "RequestRedirect has no settings";
    }
    if (r.scheme() != null && !Redirect.SCHEMES.contains(r.scheme())) {
      return "redirect scheme " + r.scheme() + " is not supported";
    }
    if (r.statusCode() != null && !Redirect.STATUSES.contains(r.statusCode())) {
      return "redirect statusCode " + r.statusCode() + " is not supported";
    }
    return pathUnsupported(r.path(), rule);
  }

  /** ReplacePrefixMatch replaces what a PathPrefix matched: every match of the rule must be one. */
  private static String pathUnsupported(PathModifier p, HttpRouteResource.Rule rule) {
    if (p == null) {
      return null;
    }
    if ("ReplaceFullPath".equals(p.type())) {
      return plainPath(p.replaceFullPath()) ? null : "replaceFullPath " + p.replaceFullPath() + " is not a path";
    }
    if (!"ReplacePrefixMatch".equals(p.type())) {
      return "path modifier " + p.type() + " is not supported";
    }
    String prefix = p.replacePrefixMatch();
    if (prefix != null && !prefix.isEmpty() && !plainPath(prefix)) {
      return "replacePrefixMatch " + prefix + " is not a path";
    }
    for (HttpRouteResource.Match m : rule.matches() == null ? List.<HttpRouteResource.Match>of() : rule.matches()) {
      if (m.path() != null && m.path().type() != null && !m.path().type().equals("PathPrefix")) {
        return "ReplacePrefixMatch needs PathPrefix matches, not " + m.path().type();
      }
    }
    return null;
  }

  /** What the model takes as a path: starting with '/', without whitespace, '?' or '#'. */
  private static boolean plainPath(String path) {
    return path != null && path.startsWith("/")
        && path.chars().noneMatch(c -> Character.isWhitespace(c) || c == '?' || c == '#');
  }

  static HeaderModifier headers(HttpRouteResource.Rule rule, String type) {
    Filter f = find(rule, type);
    if (f == null) {
      return null;
    }
    return modifier(REQUEST_HEADERS.equals(type) ? f.requestHeaderModifier() : f.responseHeaderModifier());
  }

  /** A header modifier filter's settings in the model's terms. */
  static HeaderModifier modifier(HeaderFilter h) {
    Map<String, String> set = byName(h.set());
    Map<String, String> add = byName(h.add());
    return new HeaderModifier(set.isEmpty() ? null : set, add.isEmpty() ? null : add,
        h.remove() == null || h.remove().isEmpty() ? null : h.remove());
  }

  /** The rule's CORS filter in the model's terms (Gateway API's default max age of 5 seconds when unset), or null. */
  static Cors cors(HttpRouteResource.Rule rule) {
    Filter f = find(rule, CORS);
    if (f == null) {
      return null;
    }
    HttpRouteResource.CorsFilter c = f.cors();
    int maxAge = c.maxAge() == null ? 5 : Math.min(c.maxAge(), MAX_AGE);
    return new Cors(c.allowOrigins(), c.allowMethods(), c.allowHeaders(), c.exposeHeaders(), c.allowCredentials(),
        maxAge);
  }

  static Redirect redirect(HttpRouteResource.Rule rule) {
    Filter f = find(rule, REDIRECT);
    if (f == null) {
      return null;
    }
    HttpRouteResource.RedirectFilter r = f.requestRedirect();
    return new Redirect(r.scheme(), r.hostname(), r.port(), fullPath(r.path()), prefix(r.path()), r.statusCode());
  }

  static Rewrite rewrite(HttpRouteResource.Rule rule) {
    Filter f = find(rule, REWRITE);
    if (f == null) {
      return null;
    }
    HttpRouteResource.RewriteFilter w = f.urlRewrite();
    Rewrite out = new Rewrite(prefix(w.path()), fullPath(w.path()), w.hostname());
    return out.pathPrefix() == null && out.path() == null && out.host() == null ? null : out;
  }

  private static String fullPath(PathModifier p) {
    return p != null && "ReplaceFullPath".equals(p.type()) ? p.replaceFullPath() : null;
  }

  /** An empty or absent replacement takes the matched prefix away: the same as "/". */
  private static String prefix(PathModifier p) {
    if (p == null || !"ReplacePrefixMatch".equals(p.type())) {
      return null;
    }
    return p.replacePrefixMatch() == null || p.replacePrefixMatch().isEmpty() ? "/" : p.replacePrefixMatch();
  }

  private static Filter find(HttpRouteResource.Rule rule, String type) {
    for (Filter f : filters(rule)) {
      if (type.equals(f.type())) {
        return f;
      }
    }
    return null;
  }

  private static List<Filter> filters(HttpRouteResource.Rule rule) {
    return rule.filters() == null ? List.of() : rule.filters();
  }

  private static Map<String, String> byName(List<Header> headers) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Header x : headers == null ? List.<Header>of() : headers) {
      out.put(x.name(), x.value());
    }
    return out;
  }
}
