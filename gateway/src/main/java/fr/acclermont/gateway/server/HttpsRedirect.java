package fr.acclermont.gateway.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.regex.Pattern;

/**
 * {@code server.redirect-to-https}: the plain listener answers GET and HEAD with a 308 to the same
 * path on the HTTPS listener, {@code https://<Host without its port>[:<tls port>]<path>} (no port
 * when it is 443).
 *
 * <p>Other methods are served over plain HTTP as before, not redirected: their body has crossed
 * the network in clear already, a 308 would make the client send it a second time, and many
 * clients do not follow a redirect of an upload anyway.
 *
 * <p>The host comes from the request's {@code Host} when it is a plain name or address; otherwise
 * (none, or something that could smuggle another host into the URL) from the address the
 * connection reached. Immutable.
 */
final class HttpsRedirect {

  private static final int HTTPS_DEFAULT_PORT = 443;
  /** A DNS name or IPv4 address, or a bracketed IPv6 literal, with an optional port. */
  private static final Pattern HOST =
      Pattern.compile("(?<name>[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?");

  private final int tlsPort;

  HttpsRedirect(int tlsPort) {
    this.tlsPort = tlsPort;
  }

  /** Whether {@code request} is redirected: GET and HEAD only. */
  boolean applies(HttpRequest request) {
    return HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method());
  }

  /** The Location of a request for {@code pathAndQuery} that reached {@code local}. */
  String location(HttpRequest request, String pathAndQuery, SocketAddress local) {
    String host = host(request.headers().get(HttpHeaderNames.HOST), local);
    String port = tlsPort == HTTPS_DEFAULT_PORT ? "" : ":" + tlsPort;
    return "https://" + host + port + pathAndQuery;
  }

  private static String host(String header, SocketAddress local) {
    if (header != null) {
      var matcher = HOST.matcher(header.strip());
      if (matcher.matches()) {
        return matcher.group("name");
      }
    }
    if (local instanceof InetSocketAddress address) {
      String literal = address.getAddress().getHostAddress();
      return literal.indexOf(':') >= 0 ? "[" + literal.replaceFirst("%.*", "") + "]" : literal;
    }
    return "localhost";
  }
}
