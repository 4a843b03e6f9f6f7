package fr.acclermont.gateway.metrics;

import java.util.Locale;

/**
 * How one TLS handshake with an origin ended: the closed set of the {@code outcome} tag of
 * {@code gateway_origin_tls_handshakes_total}.
 */
public enum TlsOutcome {
  /** The handshake succeeded: the connection joins the pool. */
  OK,
  /** The certificate chain does not lead to a trusted CA (the JDK's trust store or tls.ca-file). */
  UNTRUSTED,
  /** A certificate of the chain has expired, or is not valid yet (a clock off on either side). */
  EXPIRED,
  /** The certificate is valid but names another host than the origin URL's. */
  HOSTNAME,
  /** Anything else: no handshake in time, no common protocol or cipher, a reset, an alert. */
  ERROR;

  private final String tag = name().toLowerCase(Locale.ROOT);

  /** The lowercase value used in metric tags and logs. */
  public String tag() {
    return tag;
  }
}
