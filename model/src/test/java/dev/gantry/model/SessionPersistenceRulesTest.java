package dev.gantry.model;

import static dev.gantry.model.Fixtures.HTTP_LISTENER;
import static dev.gantry.model.Fixtures.doc;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A route's {@code sessionPersistence} through {@link ModelLoader}: each document and the exact lines it prints. */
class SessionPersistenceRulesTest {

  private static Arguments rule(String name, String text, String... expected) {
    return Arguments.of(Named.of(name, text), List.of(expected));
  }

  /** A route named r (line 9) on the HTTP listener to backend web, with {@code fields} from line 11 on. */
  private static String route(String fields) {
    return doc(HTTP_LISTENER + "  routes:\n  - name: r\n    backends: [{name: web}]\n" + fields);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void printsExactlyTheseDiagnostics(String text, List<String> expected) {
    LoadResult result = ModelLoader.load("lb.yaml", text, ValidationMode.STANDALONE);

    assertThat(result.diagnostics()).map(Diagnostic::toString).containsExactlyElementsOf(expected);
    assertThat(result.loadBalancers()).hasSize(expected.isEmpty() ? 1 : 0);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        rule("every field", route("""
                sessionPersistence: {type: Cookie, name: SERVERID, absoluteTimeout: 1h, idleTimeout: 10m, lifetime: Permanent}
            """)),
        rule("nothing but the defaults", route("    sessionPersistence: {}\n")),
        rule("a header session", route("    sessionPersistence: {type: Header, name: X-Session, idleTimeout: 30s}\n")),
        rule("an unknown type and lifetime", route("    sessionPersistence:\n      type: Url\n      lifetime: Forever\n"),
            "lb.yaml:12: spec.routes[0].sessionPersistence.type: unknown value \"Url\", expected one of Cookie, Header",
            "lb.yaml:13: spec.routes[0].sessionPersistence.lifetime: unknown value \"Forever\", expected one of Permanent, Session"),
        rule("a name that is no token", route("    sessionPersistence: {name: \"my session\"}\n"),
            "lb.yaml:11: spec.routes[0].sessionPersistence.name: expected a cookie or header name (letters, digits "
                + "and !#$%&'*+-.^_`|~, at most 128 characters), got \"my session\""),
        rule("a name too long", route("    sessionPersistence: {name: " + "a".repeat(129) + "}\n"),
            "lb.yaml:11: spec.routes[0].sessionPersistence.name: expected a cookie or header name (letters, digits "
                + "and !#$%&'*+-.^_`|~, at most 128 characters), got \"" + "a".repeat(80) + "...\""),
        rule("timeouts malformed or zero", route("    sessionPersistence: {absoluteTimeout: 1d, idleTimeout: 0s}\n"),
            "lb.yaml:11: spec.routes[0].sessionPersistence.absoluteTimeout: expected a duration such as 500ms, 5s, "
                + "1m30s or 1h, got \"1d\"",
            "lb.yaml:11: spec.routes[0].sessionPersistence.idleTimeout: expected a duration greater than 0, got \"0s\""),
        rule("a Permanent cookie without absoluteTimeout", route("    sessionPersistence: {lifetime: Permanent}\n"),
            "lb.yaml:11: spec.routes[0].sessionPersistence.lifetime: a Permanent cookie needs absoluteTimeout, "
                + "which sets its Max-Age"),
        rule("a lifetime on a header session", route("    sessionPersistence: {type: Header, lifetime: Session}\n"),
            "lb.yaml:11: spec.routes[0].sessionPersistence.lifetime: only a Cookie session has a lifetime, "
                + "this one is Header"),
        rule("beside a redirect", doc(HTTP_LISTENER + """
              routes:
              - name: r
                redirect: {status: 308}
                sessionPersistence: {}
            """),
            "lb.yaml:11: spec.routes[0].sessionPersistence: not allowed with redirect: the proxy answers the request "
                + "itself"),
        rule("on a TLS passthrough listener", doc("""
              listeners:
              - {name: t, port: 443, protocol: TLS}
              routes:
              - name: r
                listeners: [t]
                backends: [{name: web}]
                sessionPersistence: {}
            """),
            "lb.yaml:10: spec.routes[0].listeners[0]: listener \"t\" is TLS passthrough, which routes by host only; "
                + "this route also uses sessionPersistence"));
  }

  @Test
  void defaultsAreACookieNamedGantrySessionThatLivesForTheBrowserSession() {
    SessionPersistence s = new SessionPersistence(null, null, null, null, null);

    assertThat(s.typeOrDefault()).isEqualTo(SessionType.Cookie);
    assertThat(s.nameOrDefault()).isEqualTo("gantry-session");
    assertThat(s.lifetimeOrDefault()).isEqualTo(SessionLifetime.Session);
  }
}
