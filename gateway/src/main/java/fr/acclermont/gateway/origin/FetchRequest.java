package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaders;

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
 */
public record FetchRequest(OriginRoute route, String target, HttpHeaders headers, HttpHeaders clientHeaders) {

  /** Validates the components. */
  public FetchRequest {
    requireNonNull(route, "route");
    requireNonNull(target, "target");
    requireNonNull(headers, "headers");
    requireNonNull(clientHeaders, "clientHeaders");
  }
}
