/**
 * A non-blocking HTTP/1.1 load client that measures each request from its intended start.
 *
 * <p>{@link fr.acclermont.loadtest.client.LoadClient} owns the event loops and hands out
 * {@link fr.acclermont.loadtest.client.ConnectionPool}s: one per simulated student, at most six
 * keep-alive connections each, as a browser keeps per host. A request is queued with the moment
 * it was meant to start; the time it then waits for a free connection is part of its latency, so
 * a slow target cannot hide its stalls by slowing the client down (no coordinated omission).
 *
 * <p>Every response is checked as it streams, and never kept: its status, its length against its
 * own headers and against the size the catalog gives, and, when the request carries a
 * {@link fr.acclermont.loadtest.client.BodyVerifier}, its bytes. Each request ends with a
 * {@link fr.acclermont.loadtest.client.RequestResult}: timings, bytes, and at most one
 * {@link fr.acclermont.loadtest.client.ErrorKind}.
 */
package fr.acclermont.loadtest.client;
