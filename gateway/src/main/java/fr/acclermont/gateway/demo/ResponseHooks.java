package fr.acclermont.gateway.demo;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The test hooks of the query string that shape a normal response (faults are read by
 * {@link QueryFaultInjector}). The query names the object for the gateway, never its content.
 *
 * @param cacheControl the {@code cc} value: {@code null} keeps the default, {@code none} removes
 *     the header, anything else replaces it
 * @param expiresSeconds the {@code expires} value: {@code Expires} is {@code Date} plus this many
 *     seconds (may be negative), and {@code max-age} leaves {@code Cache-Control}; {@code null}:
 *     no {@code Expires}
 * @param vary the {@code vary} value, or {@code null}
 * @param delayMillis the {@code delay} value: milliseconds to wait before the headers
 * @param noRanges {@code no-ranges=1}: ignore {@code Range}, as an origin without range support
 * @param chunked {@code chunked=1}: no {@code Content-Length}, chunked transfer coding
 * @param close {@code close=1}: {@code Connection: close} after this response
 * @param versionAfter the {@code version-after} value: the first N requests of the path with this
 *     hook get version 1 of the resource, later ones version 2 (see
 *     {@link ResourceResolver#version2}); -1 when absent
 * @param resetOnceAt the {@code reset-once-at} value: the first response of the path with this
 *     hook whose body contains the object byte at this offset sends the body up to it, then
 *     resets the connection; later responses are whole; -1 when absent
 */
record ResponseHooks(
    String cacheControl,
    Long expiresSeconds,
    String vary,
    long delayMillis,
    boolean noRanges,
    boolean chunked,
    boolean close,
    long versionAfter,
    long resetOnceAt) {

  private static final long MAX_DELAY_MILLIS = 3_600_000;
  private static final long MAX_EXPIRES_SECONDS = 100L * 365 * 24 * 3600;

  /**
   * Reads the hooks of a query.
   *
   * @throws IllegalArgumentException naming the malformed parameter
   */
  static ResponseHooks parse(QueryParameters query) {
    long expires = query.number("expires", -MAX_EXPIRES_SECONDS, MAX_EXPIRES_SECONDS, Long.MIN_VALUE);
    return new ResponseHooks(
        query.string("cc"),
        expires == Long.MIN_VALUE ? null : expires,
        query.string("vary"),
        query.number("delay", 0, MAX_DELAY_MILLIS, 0),
        query.flag("no-ranges"),
        query.flag("chunked"),
        query.flag("close"),
        query.number("version-after", 0, Long.MAX_VALUE, -1),
        query.number("reset-once-at", 0, Long.MAX_VALUE, -1));
  }

  /** Returns the {@code Cache-Control} to send instead of {@code defaultValue}, or {@code null}. */
  String cacheControl(String defaultValue) {
    String value = cacheControl == null ? defaultValue : cacheControl;
    if (value == null || value.equalsIgnoreCase("none")) {
      return null;
    }
    if (expiresSeconds == null) {
      return value;
    }
    // max-age would override Expires (RFC 9111 §5.3), so a test of Expires must not see it.
    String rest = Arrays.stream(value.split(","))
        .map(String::trim)
        .filter(directive -> !directive.regionMatches(true, 0, "max-age", 0, "max-age".length()))
        .collect(Collectors.joining(", "));
    return rest.isEmpty() ? null : rest;
  }
}
