package dev.gantry.operator.gateway;

import dev.gantry.model.Backend;
import dev.gantry.model.Cors;
import dev.gantry.model.HeaderMatch;
import dev.gantry.model.HeaderModifier;
import dev.gantry.model.PathMatch;
import dev.gantry.model.QueryParamMatch;
import dev.gantry.model.Redirect;
import dev.gantry.model.Rewrite;
import dev.gantry.model.RouteBackend;
import dev.gantry.model.RouteMirror;
import dev.gantry.model.SessionPersistence;
import java.util.List;
import java.util.Map;

/**
 * The rules of one HTTPRoute as the model can serve them: per rule its matches, header changes and weighted
 * backends; the model's backends they name; the rules Gantry cannot serve (with why), and whether every
 * backend reference resolved ({@code refsReason} {@code ResolvedRefs}, else the first failure's reason).
 */
record RouteRules(List<Rule> rules, Map<String, Backend> backends, List<String> unsupported, String refsReason,
    String refsMessage) {

  /**
   * A rule with a {@code redirect} has no backends, request headers, rewrite or timeout: the proxy answers it.
   * {@code timeout} is the model route's (null: none set), {@code cors} its CORS policy (null: none),
   * {@code mirrors} null for none, {@code sessionPersistence} null for none.
   */
  record Rule(int index, List<Match> matches, HeaderModifier requestHeaders, HeaderModifier responseHeaders,
      Rewrite rewrite, Redirect redirect, List<RouteBackend> backends, String timeout, Cors cors,
      List<RouteMirror> mirrors, SessionPersistence sessionPersistence) {

    /** A rule without session persistence. */
    Rule(int index, List<Match> matches, HeaderModifier requestHeaders, HeaderModifier responseHeaders,
        Rewrite rewrite, Redirect redirect, List<RouteBackend> backends, String timeout, Cors cors,
        List<RouteMirror> mirrors) {
      this(index, matches, requestHeaders, responseHeaders, rewrite, redirect, backends, timeout, cors, mirrors, null);
    }

    /** A rule without CORS or mirrors. */
    Rule(int index, List<Match> matches, HeaderModifier requestHeaders, HeaderModifier responseHeaders,
        Rewrite rewrite, Redirect redirect, List<RouteBackend> backends, String timeout) {
      this(index, matches, requestHeaders, responseHeaders, rewrite, redirect, backends, timeout, null, null);
    }

    /** A rule without a timeout of its own. */
    Rule(int index, List<Match> matches, HeaderModifier requestHeaders, HeaderModifier responseHeaders,
        Rewrite rewrite, Redirect redirect, List<RouteBackend> backends) {
      this(index, matches, requestHeaders, responseHeaders, rewrite, redirect, backends, null, null, null);
    }

    /** A rule that forwards without rewriting. */
    Rule(int index, List<Match> matches, HeaderModifier requestHeaders, HeaderModifier responseHeaders,
        List<RouteBackend> backends) {
      this(index, matches, requestHeaders, responseHeaders, null, null, backends, null);
    }
  }

  /** One match of a rule: path, headers and query parameters (all must match) and method (any when null). */
  record Match(PathMatch path, List<HeaderMatch> headers, List<QueryParamMatch> queryParams, String method) {

    /** A match without query parameters. */
    Match(PathMatch path, List<HeaderMatch> headers, String method) {
      this(path, headers, List.of(), method);
    }
  }
}
