package fr.acclermont.gateway.cache;

/**
 * Why a request went (or would have gone) to the origin: the {@code fwd} parameter of
 * {@code Cache-Status} (RFC 9211 2.2). {@link #token()} is the exact value written in the header.
 */
public enum ForwardReason {
  /** The cache was not consulted for this request: its directives ({@code no-store}) forbade it. */
  BYPASS("bypass"),
  /** The request's method is not cacheable (anything but GET and HEAD). */
  METHOD("method"),
  /** Nothing stored for the request's key. */
  MISS("miss"),
  /** A stored copy was found, but the request's directives (a reload, max-age, min-fresh) asked the origin. */
  REQUEST("request"),
  /** A stored copy was found but stale: the origin was asked again (or it stood in for the origin). */
  STALE("stale"),
  /** A stored copy holds some of the bytes asked for: the rest comes from the origin. */
  PARTIAL("partial");

  private final String token;

  ForwardReason(String token) {
    this.token = token;
  }

  /** The value of the {@code fwd} parameter, as written in the header. */
  public String token() {
    return token;
  }
}
