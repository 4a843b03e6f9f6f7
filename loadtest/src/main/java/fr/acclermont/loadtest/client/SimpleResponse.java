package fr.acclermont.loadtest.client;

/**
 * A whole small response to a control request (catalog, manifest, origin stats).
 *
 * @param status the status code
 * @param body the body, whole
 */
public record SimpleResponse(int status, byte[] body) {

  /** Copies the body. */
  public SimpleResponse {
    body = body.clone();
  }

  /** Returns the body (a copy). */
  @Override
  public byte[] body() {
    return body.clone();
  }
}
