package dev.gantry.model;

import java.util.List;
import java.util.Set;

/** The rules of {@code spec.listeners}: names, ports, protocols, TLS settings and the references they make. */
final class ListenerRules {

  static final int MAX_LISTENERS = 64;
  private static final Set<String> TLS_VERSIONS = Set.of("1.2", "1.3");
  private static final Set<String> ALPN = Set.of("h2", "http/1.1");

  private ListenerRules() {
  }

  static void check(List<Listener> listeners, SpecIndex index, ValidationMode mode, Problems problems) {
    List<Listener> all = listeners == null ? List.of() : listeners;
    problems.size("spec.listeners", all, MAX_LISTENERS, "listener");
    problems.unique("spec.listeners", all, Listener::name, "name", "name");
    problems.unique("spec.listeners", all, Listener::port, "port", "port");
    for (int i = 0; i < all.size(); i++) {
      String path = FieldPath.index("spec.listeners", i);
      if (problems.entry(path, all.get(i), "a listener")) {
        listener(path, all.get(i), index, mode, problems);
      }
    }
  }

  private static void listener(String path, Listener l, SpecIndex index, ValidationMode mode, Problems problems) {
    problems.label(path + ".name", l.name());
    if (problems.required(path + ".port", l.port())) {
      problems.range(path + ".port", l.port(), 1, 65535, "a port");
    }
    Protocol protocol = l.protocol();
    if (protocol == null) {
      problems.add(path + ".protocol", "required, one of HTTP, HTTPS, TCP, TLS");
    }
    if (l.tls() != null) {
      if (protocol != null && protocol != Protocol.HTTPS && protocol != Protocol.TLS) {
        problems.add(path + ".tls", "only allowed on HTTPS and TLS listeners, this one is " + protocol);
      } else {
        if (protocol == Protocol.TLS) {
          terminatedTls(path + ".tls", l.tls(), problems);
        }
        tls(path + ".tls", l.tls(), mode, problems);
      }
    }
    if (l.redirectToHttps() != null) {
      redirect(path + ".redirectToHttps", l, index, problems);
    }
    String backend = l.defaultBackend();
    if (backend != null && !index.hasBackend(backend)) {
      problems.add(path + ".defaultBackend", "no backend named " + Problems.quote(backend));
    } else if (backend == null && protocol == Protocol.TCP) {
      problems.add(path + ".defaultBackend", "required for TCP listeners, which take no routes");
    } else if (backend != null && (protocol == Protocol.TCP || protocol == Protocol.TLS)
        && index.isFixedResponse(backend)) {
      problems.add(path + ".defaultBackend", Problems.quote(backend) + " has a fixedResponse, which answers HTTP "
          + "requests only; a " + protocol + " listener forwards connections");
    }
  }

  private static void redirect(String path, Listener l, SpecIndex index, Problems problems) {
    if (l.protocol() != null && l.protocol() != Protocol.HTTP) {
      problems.add(path, "only allowed on HTTP listeners, this one is " + l.protocol());
      return;
    }
    Listener target = index.listener(l.redirectToHttps());
    if (target == null) {
      problems.add(path, "no listener named " + Problems.quote(l.redirectToHttps()));
    } else if (target.protocol() != null && target.protocol() != Protocol.HTTPS) {
      problems.add(path, "expected an HTTPS listener, " + Problems.quote(target.name()) + " is " + target.protocol());
    }
  }

  /**
   * A TLS listener with {@code tls} terminates TLS and relays the decrypted bytes: it needs its certificates, and
   * what only HTTP has (ALPN, client certificates forwarded in a header, 421 by host) does not apply.
   */
  private static void terminatedTls(String path, ListenerTls tls, Problems problems) {
    if (tls.certificatesOrEmpty().isEmpty()) {
      problems.add(path + ".certificates", "required on a TLS listener, whose tls terminates TLS before relaying "
          + "the connection");
    }
    if (tls.alpn() != null) {
      problems.add(path + ".alpn", "not allowed on a TLS listener: the relayed bytes are no HTTP");
    }
    if (tls.clientCertificates() != null) {
      problems.add(path + ".clientCertificates", "not allowed on a TLS listener, only on HTTPS listeners");
    }
    if (tls.sniHosts() != null) {
      problems.add(path + ".sniHosts", "not allowed on a TLS listener, only on HTTPS listeners");
    }
  }

  private static void tls(String path, ListenerTls tls, ValidationMode mode, Problems problems) {
    if (tls.minVersion() != null && !TLS_VERSIONS.contains(tls.minVersion())) {
      problems.add(path + ".minVersion", "expected \"1.2\" or \"1.3\", got " + Problems.quote(tls.minVersion()));
    }
    List<String> alpn = tls.alpn() == null ? List.of() : tls.alpn();
    for (int i = 0; i < alpn.size(); i++) {
      if (alpn.get(i) == null || !ALPN.contains(alpn.get(i))) {
        problems.add(FieldPath.index(path + ".alpn", i), "expected \"h2\" or \"http/1.1\", got "
            + Problems.quote(alpn.get(i)));
      }
    }
    problems.unique(path + ".alpn", alpn, s -> s, "", "protocol");
    List<CertificateRef> certificates = tls.certificatesOrEmpty();
    for (int i = 0; i < certificates.size(); i++) {
      String at = FieldPath.index(path + ".certificates", i);
      if (problems.entry(at, certificates.get(i), "a certificate")) {
        certificate(at, certificates.get(i), mode, problems);
      }
    }
    if (tls.clientCertificates() != null) {
      clientCertificates(path + ".clientCertificates", tls.clientCertificates(), mode, problems);
    }
    if (tls.sniHosts() != null) {
      problems.size(path + ".sniHosts", tls.sniHosts(), ListenerTls.MAX_SNI_HOSTS, "host");
      RouteMatchRules.hosts(path + ".sniHosts", tls.sniHosts(), problems);
    }
  }

  /**
   * Mutual TLS: a mode, a CA bundle to verify against (a file, or references in a cluster), a bounded chain
   * depth, optional revocation lists.
   */
  private static void clientCertificates(String path, ClientCertificates c, ValidationMode mode,
      Problems problems) {
    if (c.mode() == null) {
      problems.add(path + ".mode", "required, one of Require, Optional, InsecureFallback");
    }
    if (c.caFile() == null && c.caCertificateRefs() == null) {
      problems.add(path + (mode == ValidationMode.CLUSTER ? ".caCertificateRefs" : ".caFile"),
          "required: the PEM bundle of the CAs that issue client certificates");
    } else if (c.caFile() != null && c.caCertificateRefs() != null) {
      problems.add(path + ".caCertificateRefs", "set either caFile or caCertificateRefs, not both");
    } else if (c.caFile() != null && c.caFile().isBlank()) {
      problems.add(path + ".caFile", "expected a file path, got " + Problems.quote(c.caFile()));
    }
    ReferenceRules.caRefs(path + ".caCertificateRefs", c.caCertificateRefs(), "caFile", mode, problems);
    problems.range(path + ".depth", c.depth(), 1, ClientCertificates.MAX_DEPTH, "a chain depth");
    if (c.crlFile() != null && c.crlFile().isBlank()) {
      problems.add(path + ".crlFile", "expected a file path, got " + Problems.quote(c.crlFile()));
    }
    if (c.crlFile() != null && c.crlRef() != null) {
      problems.add(path + ".crlRef", "set either crlFile or crlRef, not both");
    }
    ReferenceRules.ref(path + ".crlRef", c.crlRef(), "crlFile", mode, problems);
  }

  /** Exactly one source per certificate: a Secret in a cluster, or a pair of PEM files. */
  private static void certificate(String path, CertificateRef c, ValidationMode mode, Problems problems) {
    boolean secret = c.secretName() != null;
    boolean files = c.certFile() != null || c.keyFile() != null;
    if (secret && files) {
      problems.add(path, "set either secretName or certFile and keyFile, not both");
    } else if (!secret && !files) {
      problems.add(path, "needs secretName, or certFile and keyFile");
    } else if (secret) {
      if (mode != ValidationMode.CLUSTER) {
        problems.add(path + ".secretName", "secretName needs a cluster; use certFile and keyFile");
      } else if (!Names.isDnsSubdomain(c.secretName())) {
        problems.add(path + ".secretName", "expected a Secret name (a DNS-1123 subdomain), got "
            + Problems.quote(c.secretName()));
      }
    } else {
      file(path + ".certFile", c.certFile(), "keyFile", problems);
      file(path + ".keyFile", c.keyFile(), "certFile", problems);
    }
  }

  private static void file(String path, String value, String other, Problems problems) {
    if (value == null) {
      problems.add(path, "required with " + other);
    } else if (value.isBlank()) {
      problems.add(path, "expected a file path, got " + Problems.quote(value));
    }
  }
}
