package fr.acclermont.gateway.server;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.origin.OriginRoute;
import fr.acclermont.gateway.origin.OriginRouter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a response to an unsafe request invalidates (RFC 9111 4.4). A non-error answer (2xx, 3xx)
 * to any method but the safe ones (RFC 9110 9.2.1) invalidates the request's own URL and the URLs
 * of the response's {@code Location} and {@code Content-Location} that are on the same origin: a
 * relative reference (resolved against the request's target), or an absolute {@code http} URI
 * whose authority is the request's. Each becomes the key a request for it would have: routed by
 * the longest path prefix, raw path and query as written. A reference to another host, one that
 * no route matches, or one that does not parse is ignored, never an error (the origin wrote it).
 *
 * <p>Pure functions of their arguments; thread-safe.
 */
final class InvalidationTargets {

  /** Safe methods never invalidate; every other method, unknown ones included, is unsafe. */
  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
      HttpMethod.TRACE);
  private static final List<AsciiString> REFERENCES = List.of(HttpHeaderNames.LOCATION,
      HttpHeaderNames.CONTENT_LOCATION);

  private InvalidationTargets() {
  }

  /** Whether an answer of {@code status} to {@code method} invalidates stored responses. */
  static boolean invalidates(HttpMethod method, int status) {
    return !SAFE.contains(method) && status >= 200 && status < 400;
  }

  /**
   * The keys that the response's {@code Location} and {@code Content-Location} name on the
   * request's origin, in that order, without repeats; the request's own key is not among them
   * unless a header names it.
   *
   * @param request the client's request: its target and {@code Host} give the authority
   * @param requestTarget the origin-form target it was routed with, which relative references
   *     are resolved against
   */
  static Set<CacheKey> of(OriginRouter router, HttpRequest request, String requestTarget,
      HttpHeaders responseHeaders) {
    Set<CacheKey> keys = new LinkedHashSet<>(2);
    String authority = authority(request);
    for (AsciiString name : REFERENCES) {
      String value = responseHeaders.get(name);
      CacheKey key = value == null ? null : key(router, authority, requestTarget, value.trim());
      if (key != null) {
        keys.add(key);
      }
    }
    return keys;
  }

  /** The authority of the request's target URI: an absolute-form target's own, else {@code Host}. */
  private static @Nullable String authority(HttpRequest request) {
    String target = request.uri();
    if (target.startsWith("/")) {
      return request.headers().get(HttpHeaderNames.HOST);
    }
    try {
      return new URI(target).getRawAuthority(); // absolute-form: Host is ignored (RFC 9112 3.2.2)
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static @Nullable CacheKey key(OriginRouter router, @Nullable String authority, String requestTarget,
      String reference) {
    URI target;
    try {
      target = resolve(new URI(reference), requestTarget, authority);
    } catch (URISyntaxException e) {
      return null;
    }
    if (target == null) {
      return null;
    }
    String path = withoutLeadingDotSegments(target.getRawPath() == null || target.getRawPath().isEmpty()
        ? "/" : target.getRawPath());
    OriginRoute route = router.route(path);
    if (route == null) {
      return null;
    }
    return new CacheKey(route.name(), target.getRawQuery() == null ? path : path + '?' + target.getRawQuery());
  }

  /**
   * The reference as a normalized URI whose path and query are on this origin, or null when it
   * points elsewhere (another scheme or authority) or is opaque ({@code mailto:...}).
   */
  private static @Nullable URI resolve(URI reference, String requestTarget, @Nullable String authority)
      throws URISyntaxException {
    if (reference.isOpaque()) {
      return null;
    }
    if (reference.getScheme() != null || reference.getRawAuthority() != null) {
      boolean http = reference.getScheme() == null || reference.getScheme().equalsIgnoreCase("http");
      return http && sameAuthority(reference.getRawAuthority(), authority) ? reference.normalize() : null;
    }
    String path = reference.getRawPath() == null ? "" : reference.getRawPath();
    if (path.startsWith("/")) {
      return reference.normalize(); // an absolute path: the request's target does not matter
    }
    URI base = new URI(requestTarget);
    if (path.isEmpty()) {
      // "" or "?q": the base's path (java.net.URI follows RFC 2396 here, which drops its last segment)
      String query = reference.getRawQuery() != null ? reference.getRawQuery() : base.getRawQuery();
      return new URI(query == null ? base.getRawPath() : base.getRawPath() + '?' + query);
    }
    return base.resolve(reference).normalize();
  }

  /** Host names are case-insensitive, and port 80 is http's whether written or not. */
  private static boolean sameAuthority(@Nullable String a, @Nullable String b) {
    return a != null && b != null && withoutDefaultPort(a).equals(withoutDefaultPort(b));
  }

  private static String withoutDefaultPort(String authority) {
    String lower = authority.toLowerCase(Locale.ROOT);
    return lower.endsWith(":80") ? lower.substring(0, lower.length() - 3) : lower;
  }

  /**
   * {@code /../a} is {@code /a} (RFC 3986 5.2.4): a client following the reference asks for that,
   * while {@link URI#normalize} keeps the {@code ..} segments it cannot pair.
   */
  private static String withoutLeadingDotSegments(String path) {
    String p = path;
    while (p.startsWith("/../") || p.equals("/..")) {
      p = p.substring(3).isEmpty() ? "/" : p.substring(3);
    }
    return p;
  }
}
