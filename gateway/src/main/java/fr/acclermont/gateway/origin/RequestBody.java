package fr.acclermont.gateway.origin;

/**
 * Whether a request sent to the origin has a body, which changes how its exchange runs: a body is
 * streamed after the head and watched for stalls, and an exchange with one is never retried on a
 * new connection (its body, streamed once from the client, cannot be sent again).
 */
public enum RequestBody {
  /** The head is the whole request (a GET or HEAD, a probe, a range fetch, a question). */
  NONE,
  /**
   * The caller streams a body after the head with {@link OriginExchange#writeBody}, watched by a
   * {@link RequestBodyWatch} (the origin must keep taking it, the client keep sending it).
   */
  STREAMED
}
