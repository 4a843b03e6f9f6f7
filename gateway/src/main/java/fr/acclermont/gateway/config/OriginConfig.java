package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * One origin the gateway fetches from, and the request paths routed to it. Immutable.
 *
 * @param name the origin's name, {@code [a-z0-9_-]+}, unique; the metrics label {@code origin}
 * @param url the origin's {@code http} or {@code https} URL: scheme, host, optional port and
 *     optional base path, without query, fragment or trailing slash
 * @param paths the request path prefixes routed to this origin, each starting with {@code /}
 * @param connectTimeout the time allowed to open a connection to the origin
 * @param responseTimeout the time allowed for the origin's response headers
 * @param idleTimeout the time allowed between two body reads from the origin
 * @param maxIdleConnections the idle keep-alive connections kept per event loop
 * @param maxFetches the slice fetches in flight to this origin at most, 1..1024; demand fetches
 *     (a client waits for the slice) go first, and background fills of the rest of partly-present
 *     slices start only when no demand fetch is running or waiting
 * @param tls how an {@code https} origin's (and {@code https} parent's) certificate is checked;
 *     {@link OriginTlsConfig#DEFAULT} when nothing is reached over TLS
 * @param parents caches to ask before the origin, in configuration order: other gateways (an
 *     académie tier, or the HAProxy in front of one) that fetch from this same origin; each an
 *     {@code http} or {@code https} URL like {@link #url}. Empty: the origin is asked directly
 */
public record OriginConfig(String name, URI url, List<String> paths, Duration connectTimeout,
    Duration responseTimeout, Duration idleTimeout, int maxIdleConnections, int maxFetches,
    OriginTlsConfig tls, List<URI> parents) {

  /** The default {@link #paths()}: everything. */
  public static final List<String> DEFAULT_PATHS = List.of("/");
  /** The default {@link #connectTimeout()}. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** The default {@link #responseTimeout()}. */
  public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);
  /** The default {@link #idleTimeout()}. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  /** The default {@link #maxIdleConnections()}. */
  public static final int DEFAULT_MAX_IDLE_CONNECTIONS = 32;
  /** The default {@link #maxFetches()}. */
  public static final int DEFAULT_MAX_FETCHES = 64;

  /**
   * Creates an origin; {@code paths} is copied into an immutable list. Parameters are checked for
   * null only: ranges are checked by {@link ConfigLoader}.
   *
   * @param name the origin's name, {@code [a-z0-9_-]+}, unique; the metrics label {@code origin}
   * @param url the origin's {@code http} or {@code https} URL: scheme, host, optional port and
   *     optional base path, without query, fragment or trailing slash
   * @param paths the request path prefixes routed to this origin, each starting with {@code /}
   * @param connectTimeout the time allowed to open a connection to the origin
   * @param responseTimeout the time allowed for the origin's response headers
   * @param idleTimeout the time allowed between two body reads from the origin
   * @param maxIdleConnections the idle keep-alive connections kept per event loop
   * @param maxFetches the slice fetches in flight to this origin at most, 1..1024; demand fetches
   *     (a client waits for the slice) go first, and background fills of the rest of
   *     partly-present slices start only when no demand fetch is running or waiting
   * @param tls how an {@code https} origin's (and {@code https} parent's) certificate is checked
   * @param parents caches to ask before the origin, in configuration order; empty for none
   */
  public OriginConfig {
    requireNonNull(name, "name");
    requireNonNull(url, "url");
    paths = List.copyOf(requireNonNull(paths, "paths"));
    requireNonNull(connectTimeout, "connectTimeout");
    requireNonNull(responseTimeout, "responseTimeout");
    requireNonNull(idleTimeout, "idleTimeout");
    requireNonNull(tls, "tls");
    parents = List.copyOf(requireNonNull(parents, "parents"));
  }

  /**
   * Creates an origin without parents.
   *
   * @param name the origin's name
   * @param url the origin's URL
   * @param paths the request path prefixes routed to this origin
   * @param connectTimeout the time allowed to open a connection to the origin
   * @param responseTimeout the time allowed for the origin's response headers
   * @param idleTimeout the time allowed between two body reads from the origin
   * @param maxIdleConnections the idle keep-alive connections kept per event loop
   * @param maxFetches the slice fetches in flight to this origin at most
   * @param tls how an {@code https} origin's certificate is checked
   */
  public OriginConfig(String name, URI url, List<String> paths, Duration connectTimeout,
      Duration responseTimeout, Duration idleTimeout, int maxIdleConnections, int maxFetches,
      OriginTlsConfig tls) {
    this(name, url, paths, connectTimeout, responseTimeout, idleTimeout, maxIdleConnections,
        maxFetches, tls, List.of());
  }

  /**
   * Creates an origin with the default {@link OriginTlsConfig}: the JDK's trust store, certificates
   * and host names verified (what an {@code http} origin carries, unused).
   *
   * @param name the origin's name
   * @param url the origin's URL
   * @param paths the request path prefixes routed to this origin
   * @param connectTimeout the time allowed to open a connection to the origin
   * @param responseTimeout the time allowed for the origin's response headers
   * @param idleTimeout the time allowed between two body reads from the origin
   * @param maxIdleConnections the idle keep-alive connections kept per event loop
   * @param maxFetches the slice fetches in flight to this origin at most
   */
  public OriginConfig(String name, URI url, List<String> paths, Duration connectTimeout,
      Duration responseTimeout, Duration idleTimeout, int maxIdleConnections, int maxFetches) {
    this(name, url, paths, connectTimeout, responseTimeout, idleTimeout, maxIdleConnections,
        maxFetches, OriginTlsConfig.DEFAULT);
  }

  /** Whether the origin is reached over TLS ({@code https}). */
  public boolean isHttps() {
    return "https".equals(url.getScheme());
  }

  /** Whether the origin or one of its parents is reached over TLS: {@link #tls} then applies. */
  public boolean usesTls() {
    return isHttps() || parents.stream().anyMatch(parent -> "https".equals(parent.getScheme()));
  }

  /**
   * Returns an origin with the documented defaults: every path ({@code /}), a 5s connect timeout,
   * 30s response and idle timeouts, 32 idle connections per event loop, 16 slice fetches in flight.
   * {@code url} is taken as is.
   *
   * @param name the origin's name
   * @param url the origin's URL
   * @return the origin
   */
  public static OriginConfig withDefaults(String name, URI url) {
    return new OriginConfig(name, url, DEFAULT_PATHS, DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_RESPONSE_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_IDLE_CONNECTIONS,
        DEFAULT_MAX_FETCHES);
  }
}
