/**
 * HTTP and transport helpers that both sides of the proxy share: the client-facing {@code server}
 * and the origin-facing {@code origin}, as well as the admin listener, the demo origin and the load
 * test client.
 *
 * <p>{@link fr.acclermont.gateway.http.Transport} chooses native epoll or NIO and makes the event
 * loops and channel classes; {@link fr.acclermont.gateway.http.HopByHopHeaders} removes the headers
 * that belong to one connection only, from requests going to the origin and from responses going
 * to the client.
 *
 * <p>This package depends on Netty and the JDK only, on no other gateway package, so that
 * {@code origin} can use it without depending on anything client-facing. {@code ArchitectureTest}
 * enforces this, with the package graph of {@code docs/architecture.md}.
 */
package fr.acclermont.gateway.http;
