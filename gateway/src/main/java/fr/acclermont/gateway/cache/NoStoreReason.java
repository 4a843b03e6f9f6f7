package fr.acclermont.gateway.cache;

import java.util.Locale;

/** Why a response was not stored (STYLE §1.7: every bypass has a named reason). */
public enum NoStoreReason {
  /** The status is not one this cache stores (RFC 9110 15.1: not heuristically cacheable and no explicit freshness). */
  STATUS,
  /** {@code Cache-Control: no-store} on the request or the response. */
  NO_STORE,
  /** {@code Cache-Control: private}: meant for one user's cache only. */
  PRIVATE,
  /** {@code Vary: *}: the response varies on more than the request, so it is never reused. */
  VARY,
  /** The request carried credentials and the response did not say it may be shared. */
  AUTHORIZATION,
  /** The response sets a cookie: never replayed to other users. */
  SET_COOKIE,
  /** The body is larger than the per-object limit of the tier. */
  TOO_LARGE;

  private final String tag = name().toLowerCase(Locale.ROOT).replace('_', '-');

  /** The lowercase value used in logs and {@code Cache-Status} details. */
  public String tag() {
    return tag;
  }
}
