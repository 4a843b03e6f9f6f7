/**
 * {@code loadtest origin}: the gateway's demo origin ({@code fr.acclermont.gateway.demo}) run
 * standalone behind a simulated school uplink.
 *
 * <ul>
 *   <li>{@link fr.acclermont.loadtest.origin.OriginSimulator}: the server, from
 *       {@link fr.acclermont.loadtest.origin.OriginSettings}; usable in-process by tests.
 *   <li>{@code UplinkShaper} and {@code UplinkShapingHandler}: one token bucket for the whole
 *       server, shared round-robin by every connection, with bounded memory per connection.
 *   <li>{@code RandomFaultInjector}: seeded 503s, resets and stalls, composed after the demo
 *       origin's query-string hooks.
 *   <li>{@link fr.acclermont.loadtest.origin.OriginCommand}: the command line.
 * </ul>
 */
package fr.acclermont.loadtest.origin;
