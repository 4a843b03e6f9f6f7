package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import java.util.function.Consumer;

/**
 * What a slice fetch sends, taken from the client request that caused it: the route, the
 * origin-form target, and the end-to-end headers already rewritten for the origin (hop-by-hop and
 * the client's own {@code Range} and preconditions removed, {@code Host} and {@code Via} set). The
 * fetch adds its own {@code Range}.
 *
 * @param route the origin
 * @param target the origin-form request target
 * @param headers the headers to send; never mutated
 * @param clientHeaders the client's request headers, for the storability rules (RFC 9111 3)
 * @param interims given, on the fetch's event loop, each interim response ({@code 1xx} but 100 and
 *     101, e.g. {@code 103 Early Hints}) a probe receives before its final head, for the client
 *     that caused it (RFC 9110 15.2); never stored, never given to the clients collapsed on it.
 *     Range fetches ignore it: their client has its final head already.
 */
public record FetchRequest(OriginRoute route, String target, HttpHeaders headers, HttpHeaders clientHeaders,
    Consumer<HttpResponse> interims) {

  /** Validates the components. */
  public FetchRequest {
    requireNonNull(route, "route");
    requireNonNull(target, "target");
    requireNonNull(headers, "headers");
    requireNonNull(clientHeaders, "clientHeaders");
    requireNonNull(interims, "interims");
  }

  /** A fetch whose interim responses go nowhere. */
  public FetchRequest(OriginRoute route, String target, HttpHeaders headers, HttpHeaders clientHeaders) {
    this(route, target, headers, clientHeaders, interim -> { });
  }
}
