package fr.acclermont.gateway.server;

import io.netty.handler.codec.http.HttpRequest;

/**
 * A request head the {@link RequestGuardHandler} let through, with where it goes: what the dispatch
 * ({@link EdgeHandler}) receives in place of the bare head. A head that is also the whole request (an
 * HTTP/2 stream's {@code FullHttpRequest}) carries its body in it, which the dispatch then owns.
 *
 * @param head the decoded request head
 * @param verdict the guard's verdict: the route and the origin-form target
 */
record AcceptedRequest(HttpRequest head, RequestGuard.Accepted verdict) {
}
