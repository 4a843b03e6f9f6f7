package fr.acclermont.gateway.metrics;

/**
 * Why a stale copy stood in for its origin: the closed set of the {@code reason} tag of
 * {@code gateway_stale_responses_total}, spelt as the {@code detail} of {@code Cache-Status}.
 */
public enum StaleReason {
  /** The origin is known down (and probed in the background): served at once, without asking it. */
  OFFLINE("offline"),
  /** The origin answered a 5xx (other than 501). */
  ORIGIN_ERROR("origin-error"),
  /** The origin did not answer: connection refused or reset before the head, or a timeout. */
  ORIGIN_UNREACHABLE("origin-unreachable");

  private final String tag;

  StaleReason(String tag) {
    this.tag = tag;
  }

  /** The value used in metric tags and in {@code Cache-Status}'s {@code detail}. */
  public String tag() {
    return tag;
  }
}
