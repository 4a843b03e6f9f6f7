package fr.acclermont.gateway.metrics;

import java.util.Locale;

/** How one origin request ended: the closed set of the {@code outcome} tag. */
public enum OriginOutcome {
  /** A response was received in full (whatever its status below 500). */
  OK,
  /** The connection to the origin could not be established. */
  CONNECT,
  /** The origin did not send its headers, or stalled mid-body, beyond the configured time. */
  TIMEOUT,
  /** The origin closed or reset the connection before the response was complete. */
  RESET,
  /** The origin answered with a 5xx status. */
  STATUS;

  private final String tag = name().toLowerCase(Locale.ROOT);

  /** The lowercase value used in metric tags and logs. */
  public String tag() {
    return tag;
  }
}
