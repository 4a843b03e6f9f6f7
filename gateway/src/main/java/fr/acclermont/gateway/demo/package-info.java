/**
 * The demo origin: an HTTP/1.1 server that serves a synthetic textbook catalog, deterministic
 * from a seed, with every byte generated on the fly.
 *
 * <p>It backs {@code gateway demo}, serves as the origin of the gateway's integration tests and
 * is extended by the load-test module through {@link fr.acclermont.gateway.demo.DemoOriginOptions}
 * (latency, pipeline customizer, fault injector). {@link fr.acclermont.gateway.demo.DemoOrigin}
 * is the entry point.
 *
 * <h2>Paths (GET and HEAD)</h2>
 * <ul>
 *   <li>{@code /_origin/catalog}: the catalog as JSON; {@code /_origin/stats}: the counts as
 *       JSON; {@code POST /_origin/stats/reset}: 204. Not counted, no hooks, {@code no-store}.
 *   <li>{@code /books/{id}/index.html}, {@code manifest.json}, {@code assets/...},
 *       {@code book.pdf}, {@code video.mp4}: the books of the catalog.
 *   <li>{@code /blobs/{size}/{name}}: exactly {@code size} bytes ({@code 1234}, {@code 64KiB},
 *       {@code 20MiB}, {@code 1GiB}) of {@link fr.acclermont.gateway.demo.SyntheticContent} of
 *       the path.
 * </ul>
 *
 * <h2>Test hooks (query parameters on {@code /books/...} and {@code /blobs/...})</h2>
 * The query names the object for the gateway; the content derives from the path alone.
 * <ul>
 *   <li>{@code cc=VALUE} replaces {@code Cache-Control}; {@code cc=none} removes it.
 *   <li>{@code expires=SECONDS} adds {@code Expires} = {@code Date} + SECONDS (may be negative)
 *       and drops {@code max-age} from {@code Cache-Control}.
 *   <li>{@code vary=HEADER} adds {@code Vary}.
 *   <li>{@code delay=MILLIS} waits before the headers (added to the configured latency).
 *   <li>{@code no-ranges=1} ignores {@code Range} and sends no {@code Accept-Ranges}.
 *   <li>{@code chunked=1} sends the body chunked, without {@code Content-Length}.
 *   <li>{@code close=1} closes the connection after the response.
 *   <li>Faults, by precedence: {@code close-before-headers=1}; {@code status=NNN} (200–599, a
 *       short text body); {@code reset-after=BYTES} (TCP reset); {@code stall-after=BYTES}
 *       (silence until the peer closes, or for {@code stall-for=MILLIS} then resume).
 * </ul>
 * A malformed hook value is answered 400 with a message naming it.
 */
package fr.acclermont.gateway.demo;
