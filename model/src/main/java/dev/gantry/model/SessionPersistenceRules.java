package dev.gantry.model;

/** The checks of a route's {@code sessionPersistence}. */
final class SessionPersistenceRules {

  private SessionPersistenceRules() {
  }

  static void sessionPersistence(String path, SessionPersistence s, Problems problems) {
    if (s == null) {
      return;
    }
    String name = s.name();
    if (name != null && !SessionPersistence.isValidName(name)) {
      problems.add(path + ".name", "expected a cookie or header name (letters, digits and !#$%&'*+-.^_`|~, at most "
          + SessionPersistence.MAX_NAME_LENGTH + " characters), got " + Problems.quote(name));
    }
    problems.duration(path + ".absoluteTimeout", s.absoluteTimeout());
    problems.duration(path + ".idleTimeout", s.idleTimeout());
    if (s.lifetime() != null && s.typeOrDefault() != SessionType.Cookie) {
      problems.add(path + ".lifetime", "only a Cookie session has a lifetime, this one is " + s.typeOrDefault());
    } else if (s.lifetime() == SessionLifetime.Permanent && s.absoluteTimeout() == null) {
      problems.add(path + ".lifetime", "a Permanent cookie needs absoluteTimeout, which sets its Max-Age");
    }
  }
}
