package fr.acclermont.gateway.demo;

import static java.util.Objects.requireNonNull;

/**
 * One asset of an HTML5 book.
 *
 * @param path the request path, e.g. {@code /books/maths-6e/assets/img/figure-012.svg}
 * @param size the exact body length in bytes
 * @param contentType the {@code Content-Type} the origin sends
 */
public record Asset(String path, long size, String contentType) {

  /** Validates the components. */
  public Asset {
    requireNonNull(path, "path");
    requireNonNull(contentType, "contentType");
    if (size < 0) {
      throw new IllegalArgumentException("size: " + size + " (expected: >= 0)");
    }
  }
}
