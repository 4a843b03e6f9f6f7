package fr.acclermont.gateway.admin;

import fr.acclermont.gateway.config.AdminConfig;
import fr.acclermont.gateway.config.AdminToken;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who may call which admin endpoint. With a token ({@code admin.token-file}), every path requires
 * {@code Authorization: Bearer <token>} except an allow-list of public ones: {@code /healthz} and
 * {@code /readyz} (probes of orchestrators and load balancers carry no secret) and, unless
 * {@code admin.metrics-require-token}, {@code /metrics}. An allow-list, so that an endpoint added
 * later (purge, prefetch) is protected without anyone remembering to protect it, and so that an
 * unknown path is refused like a real one, revealing nothing about what exists. Without a token
 * every path is open, as before tokens existed. Immutable and thread-safe.
 */
final class AdminAccess {

  /** The challenge of a 401 (RFC 6750 section 3). */
  static final String CHALLENGE = "Bearer realm=\"textbook-gateway-admin\"";

  private static final String BEARER = "Bearer ";
  /**
   * The cookie a browser holds the token in after {@code POST /login}: a technician's browser
   * cannot add an {@code Authorization} field to a page load or a form post. HttpOnly (no script
   * reads it) and SameSite=Strict (another site's page cannot post a purge with it).
   */
  static final String COOKIE = "gateway_admin";
  /** Where a browser gives the token: public, or no one could log in. */
  static final String LOGIN = "/login";

  /** Why a request is refused; the text goes in the log line and the response body. */
  enum Refusal {
    MISSING("no Authorization header"),
    NOT_BEARER("the Authorization header is not a Bearer token"),
    WRONG("wrong token");

    private final String reason;

    Refusal(String reason) {
      this.reason = reason;
    }

    String reason() {
      return reason;
    }
  }

  private final @Nullable AdminToken token;
  private final Set<String> publicPaths;

  AdminAccess(AdminConfig config) {
    this.token = config.token();
    this.publicPaths = config.metricsRequireToken()
        ? Set.of("/healthz", "/readyz", LOGIN)
        : Set.of("/healthz", "/readyz", "/metrics", LOGIN);
  }

  /**
   * Returns why a request for {@code path} is refused, or null if it may proceed.
   *
   * @param path the decoded request path, matched exactly: {@code /metrics/} is not public
   * @param authorization the request's {@code Authorization} value, or null
   * @param cookie the token from the {@link #COOKIE} cookie, or null; used without an
   *     {@code Authorization} field
   */
  @Nullable Refusal check(String path, @Nullable String authorization, @Nullable String cookie) {
    if (token == null || publicPaths.contains(path)) {
      return null;
    }
    if (authorization == null && cookie != null) {
      return token.matches(cookie) ? null : Refusal.WRONG;
    }
    if (authorization == null) {
      return Refusal.MISSING;
    }
    // The scheme is case-insensitive (RFC 9110 section 11.1); spaces around the token are not
    // part of it (RFC 6750 b64token has none).
    if (authorization.length() < BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Refusal.NOT_BEARER;
    }
    return token.matches(authorization.substring(BEARER.length()).strip()) ? null : Refusal.WRONG;
  }

  /** Whether a token is configured at all. */
  boolean required() {
    return token != null;
  }

  /** Whether {@code candidate} is the token (constant time). */
  boolean matches(String candidate) {
    return token != null && token.matches(candidate);
  }
}
