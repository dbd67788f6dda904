package dev.gantry.proxy.admin;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How an access-log line is laid out. */
public enum AccessLogFormat {

  /**
   * HAProxy-like: {@code client [date] lb/listener route backend/endpoint Tc/Tr/Tt status bytes_in bytes_out
   * termination retries "request"}.
   */
  HAPROXY {
    @Override
    String format(AccessRecord r) {
      StringBuilder sb = new StringBuilder(200);
      sb.append(r.client()).append(" [").append(DATE.format(Instant.ofEpochMilli(r.startMillis()))).append("] ")
          .append(r.lb()).append('/').append(r.listener()).append(' ')
          .append(dash(r.route())).append(' ')
          .append(dash(r.backend())).append('/').append(dash(r.endpoint())).append(' ')
          .append(r.connectMillis()).append('/').append(r.responseMillis()).append('/').append(r.totalMillis())
          .append(' ').append(r.status()).append(' ').append(r.bytesIn()).append(' ').append(r.bytesOut())
          .append(' ').append(r.termination()).append(' ').append(r.retries())
          .append(" \"");
      if (r.method().isEmpty()) {
        // HAProxy's marker for a request that could not be parsed.
        return sb.append("<BADREQ>\"").toString();
      }
      sb.append(r.method()).append(' ');
      appendSafe(sb, r.uri());
      return sb.append(' ').append(r.protocol()).append('"').toString();
    }

    /**
     * {@code client [date] lb/listener route backend/endpoint Tc/Tt bytes_in bytes_out termination retries
     * PROTOCOL "sni"}.
     */
    @Override
    String format(ConnectionRecord r) {
      StringBuilder sb = new StringBuilder(200);
      sb.append(r.client()).append(" [").append(DATE.format(Instant.ofEpochMilli(r.startMillis()))).append("] ")
          .append(r.lb()).append('/').append(r.listener()).append(' ')
          .append(dash(r.route())).append(' ')
          .append(dash(r.backend())).append('/').append(dash(r.endpoint())).append(' ')
          .append(r.connectMillis()).append('/').append(r.totalMillis())
          .append(' ').append(r.bytesIn()).append(' ').append(r.bytesOut())
          .append(' ').append(r.termination()).append(' ').append(r.retries())
          .append(' ').append(r.protocol());
      if (r.protocol().equals("TLS")) {
        sb.append(" \"");
        appendSafe(sb, r.serverName());
        sb.append('"');
      }
      return sb.toString();
    }
  },

  /** One JSON object per line. */
  JSON {
    @Override
    String format(AccessRecord r) {
      StringBuilder sb = new StringBuilder(300);
      sb.append('{');
      field(sb, "time", ISO.format(Instant.ofEpochMilli(r.startMillis()))).append(',');
      field(sb, "client", r.client()).append(',');
      field(sb, "lb", r.lb()).append(',');
      field(sb, "listener", r.listener()).append(',');
      field(sb, "route", r.route()).append(',');
      field(sb, "backend", r.backend()).append(',');
      field(sb, "endpoint", r.endpoint()).append(',');
      field(sb, "method", r.method()).append(',');
      field(sb, "uri", r.uri()).append(',');
      field(sb, "protocol", r.protocol()).append(',');
      sb.append("\"status\":").append(r.status()).append(',');
      sb.append("\"bytes_in\":").append(r.bytesIn()).append(',');
      sb.append("\"bytes_out\":").append(r.bytesOut()).append(',');
      sb.append("\"connect_ms\":").append(r.connectMillis()).append(',');
      sb.append("\"response_ms\":").append(r.responseMillis()).append(',');
      sb.append("\"total_ms\":").append(r.totalMillis()).append(',');
      field(sb, "termination", r.termination()).append(',');
      sb.append("\"retries\":").append(r.retries());
      return sb.append('}').toString();
    }

    @Override
    String format(ConnectionRecord r) {
      StringBuilder sb = new StringBuilder(300);
      sb.append('{');
      field(sb, "time", ISO.format(Instant.ofEpochMilli(r.startMillis()))).append(',');
      field(sb, "client", r.client()).append(',');
      field(sb, "lb", r.lb()).append(',');
      field(sb, "listener", r.listener()).append(',');
      field(sb, "protocol", r.protocol()).append(',');
      field(sb, "sni", r.serverName()).append(',');
      field(sb, "route", r.route()).append(',');
      field(sb, "backend", r.backend()).append(',');
      field(sb, "endpoint", r.endpoint()).append(',');
      sb.append("\"bytes_in\":").append(r.bytesIn()).append(',');
      sb.append("\"bytes_out\":").append(r.bytesOut()).append(',');
      sb.append("\"connect_ms\":").append(r.connectMillis()).append(',');
      sb.append("\"total_ms\":").append(r.totalMillis()).append(',');
      field(sb, "termination", r.termination()).append(',');
      sb.append("\"retries\":").append(r.retries());
      return sb.append('}').toString();
    }
  };

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

  abstract String format(AccessRecord r);

  abstract String format(ConnectionRecord r);

  private static String dash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  /** Request targets come from clients: control characters and quotes must not forge log lines. */
  private static void appendSafe(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
  }

  private static StringBuilder field(StringBuilder sb, String name, String value) {
    sb.append('"').append(name).append("\":");
    if (value == null) {
      return sb.append("null");
    }
    sb.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"');
  }
}
