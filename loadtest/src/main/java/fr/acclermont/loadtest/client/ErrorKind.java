package fr.acclermont.loadtest.client;

/**
 * Why a request failed. Each failed request has exactly one kind, the first problem seen; the
 * connection it used is closed, so a later request never inherits a broken stream.
 */
public enum ErrorKind {
  /** The connection could not be opened (refused, unreachable, or no answer to the handshake). */
  CONNECT("connect"),
  /**
   * The connection broke: a TCP reset or another I/O error at any point of the exchange, or the
   * peer closed it before a response began (no status line). A reset in the middle of a body is
   * a {@code reset}, not a {@code short-body}: the transport failed, whatever the body's length.
   */
  RESET("reset"),
  /**
   * No complete response within the request timeout, counted from the moment the request was
   * written; or the request was still queued or in flight when the run's time limit was reached.
   */
  TIMEOUT("timeout"),
  /**
   * An unexpected status (200 for a whole object and 206 for a range are expected; a 200 to a
   * range request is an error, since a viewer would then download the whole file), or a response
   * that is not valid HTTP/1.1.
   */
  STATUS("status"),
  /**
   * The response began and then ended before the length its headers give: the peer closed the
   * connection cleanly (FIN) before the end of the body, or {@code Content-Length} and
   * {@code Content-Range} disagree.
   */
  SHORT_BODY("short-body"),
  /**
   * The body is not the one asked for: bytes differ from the expected content, the
   * {@code Content-Range} is not the range asked, or the length differs from the size the catalog
   * or manifest gives.
   */
  CORRUPT("corrupt");

  private final String label;

  ErrorKind(String label) {
    this.label = label;
  }

  /** Returns the short lowercase name used in reports, e.g. {@code short-body}. */
  public String label() {
    return label;
  }
}
