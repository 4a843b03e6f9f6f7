package fr.acclermont.loadtest.client;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Where requests go: an {@code http://host[:port][/base]} or {@code https://...} URL. The base
 * path, if any, is put in front of every request path, so a gateway that maps the origin under a
 * prefix can be targeted. An https target is reached over TLS with the server's certificate
 * verified (chain and host name): against the CA certificates of {@code caFile} when given (the
 * demo origin's throw-away CA), else against the JVM's trust store. Verification is never off.
 *
 * @param host the host name or IP literal (IPv6 without brackets)
 * @param port the TCP port
 * @param basePath the path prefix without a trailing slash, or an empty string
 * @param https whether the connection is TLS
 * @param caFile the PEM file of the CA certificates an https target's certificate must chain to,
 *     or {@code null} for the JVM's trust store; always {@code null} for http
 */
public record Target(String host, int port, String basePath, boolean https, @Nullable Path caFile) {

  /** The expected form, as quoted in error messages. */
  public static final String FORM = "an http:// URL such as http://127.0.0.1:8080, or an https:// one";

  private static final int DEFAULT_PORT = 80;
  private static final int DEFAULT_HTTPS_PORT = 443;

  /** Validates the components. */
  public Target {
    requireNonNull(host, "host");
    requireNonNull(basePath, "basePath");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
    }
    if (!https && caFile != null) {
      throw new IllegalArgumentException("caFile: " + caFile + " (expected: only for an https target)");
    }
  }

  /** An http target. */
  public Target(String host, int port, String basePath) {
    this(host, port, basePath, false, null);
  }

  /**
   * Parses a URL such as {@code http://127.0.0.1:8080}, {@code http://gateway.lan/cdn} or
   * {@code https://127.0.0.1:8443} (trusting the JVM's trust store; see {@link #trusting}).
   *
   * @throws IllegalArgumentException with a message quoting the text and {@link #FORM}, if it is
   *     not an http or https URL with a host (queries and fragments are refused)
   */
  public static Target parse(String url) {
    requireNonNull(url, "url");
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw invalid(url);
    }
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    if (!(https || "http".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null || uri.getRawQuery() != null
        || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw invalid(url);
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    int defaultPort = https ? DEFAULT_HTTPS_PORT : DEFAULT_PORT;
    return new Target(host.toLowerCase(Locale.ROOT), uri.getPort() < 0 ? defaultPort : uri.getPort(), path,
        https, null);
  }

  /**
   * Returns this target trusting the CA certificates of {@code caFile} (PEM) if it is https;
   * this target itself, unchanged, if it is http.
   */
  public Target trusting(@Nullable Path caFile) {
    return https ? new Target(host, port, basePath, true, caFile) : this;
  }

  /** Returns the {@code Host} header value, e.g. {@code 127.0.0.1:8080}. */
  public String hostHeader() {
    String name = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return port == (https ? DEFAULT_HTTPS_PORT : DEFAULT_PORT) ? name : name + ":" + port;
  }

  /** Returns the request target for {@code path} (which starts with a slash). */
  public String requestTarget(String path) {
    return basePath + path;
  }

  /** Returns the URL, e.g. {@code http://127.0.0.1:8080}. */
  @Override
  public String toString() {
    return (https ? "https://" : "http://") + hostHeader() + basePath;
  }

  private static IllegalArgumentException invalid(String url) {
    return new IllegalArgumentException("'" + url + "' (expected " + FORM + ")");
  }
}
