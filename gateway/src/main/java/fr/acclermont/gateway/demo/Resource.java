package fr.acclermont.gateway.demo;

import static java.util.Objects.requireNonNull;

/**
 * One servable representation: its metadata and the source of its bytes.
 *
 * @param path the request path, without the query string
 * @param length the body length in bytes
 * @param contentType the {@code Content-Type} value
 * @param cacheControl the default {@code Cache-Control} value (test hooks may override it)
 * @param etag the strong entity tag, quotes included
 * @param lastModifiedMillis the {@code Last-Modified} instant, whole seconds
 * @param source the bytes
 */
record Resource(
    String path,
    long length,
    String contentType,
    String cacheControl,
    String etag,
    long lastModifiedMillis,
    ContentSource source) {

  Resource {
    requireNonNull(path, "path");
    requireNonNull(contentType, "contentType");
    requireNonNull(cacheControl, "cacheControl");
    requireNonNull(etag, "etag");
    requireNonNull(source, "source");
    if (length < 0) {
      throw new IllegalArgumentException("length: " + length + " (expected: >= 0)");
    }
  }
}
