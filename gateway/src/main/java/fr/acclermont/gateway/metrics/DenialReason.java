package fr.acclermont.gateway.metrics;

/**
 * Why a request under an entitlement rule was refused: the closed set of the {@code reason} tag of
 * {@code gateway_entitlement_denied_total}, also written in the log line of each refusal.
 */
public enum DenialReason {
  /** Signed URL: no signature or no expiry. Auth-forward: no credential to ask about. */
  MISSING("missing"),
  /** Signed URL: a parameter that does not parse (expiry not a number, signature not base64url, repeated). */
  MALFORMED("malformed"),
  /** Signed URL: the key id is not one of the rule's keys. */
  UNKNOWN_KEY("unknown-key"),
  /** Signed URL: the signature does not match the path, expiry and claims (tampered or forged). */
  BAD_SIGNATURE("bad-signature"),
  /** Signed URL: a genuine link whose expiry, plus the clock-skew allowance, is past. */
  EXPIRED("expired"),
  /** Auth-forward: the entitlement endpoint said no (401 or 403). */
  REFUSED("refused"),
  /**
   * Auth-forward: the entitlement endpoint could not answer (unreachable, timeout, another status)
   * and no earlier yes for this user and book is within the offline window.
   */
  UNAVAILABLE("unavailable");

  private final String tag;

  DenialReason(String tag) {
    this.tag = tag;
  }

  /** The value used in the metric tag and the log. */
  public String tag() {
    return tag;
  }
}
