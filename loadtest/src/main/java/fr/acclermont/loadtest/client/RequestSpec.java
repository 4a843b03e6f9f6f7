package fr.acclermont.loadtest.client;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One GET to send, planned ahead of the run: what it fetches and what a correct answer is.
 *
 * @param kind the kind its latency is recorded under
 * @param target the request target: the path, with a query string if any, e.g.
 *     {@code /books/maths-6e/book.pdf}; the target's base path is prepended when sent
 * @param range the byte range asked, or {@code null} for the whole resource
 * @param resourceSize the whole resource's length from the catalog or manifest, or -1 when
 *     unknown; a whole body of another length, or a {@code Content-Range} of another total, is
 *     {@link ErrorKind#CORRUPT}
 * @param verifier what the body's bytes must be, or {@code null} to check lengths only
 */
public record RequestSpec(
    RequestKind kind, String target, @Nullable RangeSpec range, long resourceSize, @Nullable BodyVerifier verifier) {

  /** Validates the components. */
  public RequestSpec {
    requireNonNull(kind, "kind");
    requireNonNull(target, "target");
    if (!target.startsWith("/")) {
      throw new IllegalArgumentException("target: " + target + " (expected: a path starting with /)");
    }
    if (resourceSize < -1) {
      throw new IllegalArgumentException("resourceSize: " + resourceSize + " (expected: >= 0, or -1 if unknown)");
    }
  }

  /** Returns a request for a whole resource of {@code size} bytes (-1 if unknown). */
  public static RequestSpec whole(RequestKind kind, String target, long size, @Nullable BodyVerifier verifier) {
    return new RequestSpec(kind, target, null, size, verifier);
  }

  /** Returns a range request of a resource of {@code size} bytes (-1 if unknown). */
  public static RequestSpec range(RequestKind kind, String target, RangeSpec range, long size,
      @Nullable BodyVerifier verifier) {
    return new RequestSpec(kind, target, requireNonNull(range, "range"), size, verifier);
  }

  /** Returns the number of body bytes a correct answer has, or -1 when it cannot be known ahead. */
  public long expectedBodyBytes() {
    if (resourceSize < 0) {
      return -1;
    }
    if (range == null) {
      return resourceSize;
    }
    long first = range.firstIn(resourceSize);
    return first >= resourceSize ? 0 : range.lastIn(resourceSize) - first + 1;
  }
}
