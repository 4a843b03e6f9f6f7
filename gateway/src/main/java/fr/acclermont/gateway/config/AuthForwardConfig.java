package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How an auth-forward rule asks whether a user may read a book. Immutable.
 *
 * @param origin the name of the origin that answers (its URL, TLS and timeouts are used)
 * @param path the path of the entitlement endpoint at that origin, such as {@code /entitlement/check}
 * @param cookie the cookie that identifies the user, or null when the credential is the
 *     {@code Authorization} field
 * @param cacheFor how long a yes or a no is reused for the same user and book without asking again
 * @param offlineWindow how long after it was given a yes still admits the user while the endpoint
 *     cannot be reached (a class goes on reading offline); a no is never reused past {@code cacheFor}
 * @param timeout how long the endpoint has to answer before the question counts as unanswered
 */
public record AuthForwardConfig(String origin, String path, @Nullable String cookie, Duration cacheFor,
    Duration offlineWindow, Duration timeout) {

  /** Default {@link #cacheFor}: short, so that a revoked licence stops within a minute. */
  public static final Duration DEFAULT_CACHE_FOR = Duration.ofSeconds(60);
  /** Default {@link #offlineWindow}: a school week without uplink. */
  public static final Duration DEFAULT_OFFLINE_WINDOW = Duration.ofDays(7);
  /** Default {@link #timeout}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** Checks for null. */
  public AuthForwardConfig {
    requireNonNull(origin, "origin");
    requireNonNull(path, "path");
    requireNonNull(cacheFor, "cacheFor");
    requireNonNull(offlineWindow, "offlineWindow");
    requireNonNull(timeout, "timeout");
  }
}
