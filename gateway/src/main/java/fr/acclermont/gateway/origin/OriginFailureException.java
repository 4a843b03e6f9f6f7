package fr.acclermont.gateway.origin;

/** Why an origin exchange failed, when no I/O exception says it (timeouts, early close). */
public final class OriginFailureException extends Exception {

  private static final long serialVersionUID = 1L;

  /** @param message what happened, for the log line */
  public OriginFailureException(String message) {
    super(message, null, false, false);
  }
}
