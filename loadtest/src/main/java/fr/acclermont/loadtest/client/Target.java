package fr.acclermont.loadtest.client;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where requests go: an {@code http://host[:port][/base]} URL. The base path, if any, is put in
 * front of every request path, so a gateway that maps the origin under a prefix can be targeted.
 *
 * @param host the host name or IP literal (IPv6 without brackets)
 * @param port the TCP port
 * @param basePath the path prefix without a trailing slash, or an empty string
 */
public record Target(String host, int port, String basePath) {

  /** The expected form, as quoted in error messages. */
  public static final String FORM = "an http:// URL such as http://127.0.0.1:8080";

  private static final int DEFAULT_PORT = 80;

  /** Validates the components. */
  public Target {
    requireNonNull(host, "host");
    requireNonNull(basePath, "basePath");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
    }
  }

  /**
   * Parses a URL such as {@code http://127.0.0.1:8080} or {@code http://gateway.lan/cdn}.
   *
   * @throws IllegalArgumentException with a message quoting the text and {@link #FORM}, if it is
   *     not an http URL with a host (https, queries and fragments are refused)
   */
  public static Target parse(String url) {
    requireNonNull(url, "url");
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw invalid(url);
    }
    if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawQuery() != null
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
    return new Target(host.toLowerCase(Locale.ROOT), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), path);
  }

  /** Returns the {@code Host} header value, e.g. {@code 127.0.0.1:8080}. */
  public String hostHeader() {
    String name = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return port == DEFAULT_PORT ? name : name + ":" + port;
  }

  /** Returns the request target for {@code path} (which starts with a slash). */
  public String requestTarget(String path) {
    return basePath + path;
  }

  /** Returns the URL, e.g. {@code http://127.0.0.1:8080}. */
  @Override
  public String toString() {
    return "http://" + hostHeader() + basePath;
  }

  private static IllegalArgumentException invalid(String url) {
    return new IllegalArgumentException("'" + url + "' (expected " + FORM + ")");
  }
}
