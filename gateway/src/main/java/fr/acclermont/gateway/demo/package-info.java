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
 *   <li>{@code version-after=N}: the first N requests of the path carrying this hook (counted on
 *       arrival, per path and value of N, whatever their method or answer) get version 1, the
 *       usual resource; later ones get version 2: the same length, type and
 *       {@code Cache-Control}, but the bytes of {@link fr.acclermont.gateway.demo.SyntheticContent}
 *       for the name {@code path#v2} (see
 *       {@link fr.acclermont.gateway.demo.DemoContent#VERSION_2_SUFFIX}), another strong
 *       {@code ETag} and a {@code Last-Modified} one day later. Conditionals and
 *       {@code If-Range} are evaluated against the version served.
 *   <li>Faults, by precedence: {@code close-before-headers=1}; {@code status=NNN} (200–599, a
 *       short text body); {@code reset-after=BYTES} (TCP reset); {@code stall-after=BYTES}
 *       (silence until the peer closes, or for {@code stall-for=MILLIS} then resume).
 *       {@code reset-after} and {@code stall-after} count the body bytes of each response: for a
 *       206 the bytes of the range, not offsets in the object. They apply to every request
 *       that carries them: each body longer than BYTES is cut, and a {@code reset-after} body
 *       no longer than BYTES is sent whole, then the connection is still reset.
 *   <li>{@code reset-once-at=OFFSET}: the first response of the path carrying this hook (per path
 *       and OFFSET) whose body contains the object byte at OFFSET sends the body up to that byte,
 *       then resets the connection; every other response is whole. Offsets are within the
 *       object, so with ranges it fires in the one slice that contains OFFSET. Applied by the
 *       origin itself when the {@link fr.acclermont.gateway.demo.FaultInjector} decided no fault.
 * </ul>
 *
 * <h2>Upload sink (any other method on {@code /blobs/...})</h2>
 * POST, PUT, DELETE, PATCH or any unknown method ({@code PURGE}, {@code PROPFIND}...) on a blob
 * path is answered with what was received, as JSON: {@code {"method":..,"bytes":..,"sha256":..}},
 * {@code no-store}. Its hooks, which GET and HEAD of the same URL ignore:
 * <ul>
 *   <li>{@code upload-status=NNN} (200–599) answers with that status instead of 200.
 *   <li>{@code location=URI} and {@code content-location=URI} add {@code Location} and
 *       {@code Content-Location} (URL-encoded in the query, sent decoded).
 * </ul>
 * A malformed hook value is answered 400 with a message naming it. {@code Range} is honoured on
 * GET only (a single range; several ranges or a malformed header get the whole body), unless
 * {@code no-ranges=1}, which answers 200 with the whole body to any {@code Range}.
 *
 * <h2>Profiles ({@link fr.acclermont.gateway.demo.OriginProfile})</h2>
 * {@code PLAIN}, the default, is everything above over plain HTTP with identity bodies. {@code CDN}
 * serves the same bytes as a publisher's cloud would:
 * <ul>
 *   <li>HTTPS only, with a certificate (for {@code localhost}, {@code 127.0.0.1}, {@code ::1}
 *       and the bound address) issued by a throw-away CA made at start-up, whose PEM is written
 *       to {@link fr.acclermont.gateway.demo.DemoOriginOptions#caFile()} or a temporary file
 *       ({@link fr.acclermont.gateway.demo.DemoOrigin#caFile()}).
 *   <li>Text (the index page, the manifest, CSS, JS, SVG, JSON and HTML assets) in the coding
 *       the request's {@code Accept-Encoding} accepts: {@code br}, else {@code gzip}, else
 *       identity, always with {@code Vary: Accept-Encoding}. An encoded representation has its
 *       own length, strong {@code ETag} ({@code "<tag>-gzip"}, {@code "<tag>-br"}) and byte
 *       offsets: {@code Range}, {@code If-Range} and {@code If-None-Match} apply to it. PDFs,
 *       videos, audio and blobs are never compressed. Faults count encoded body bytes.
 *   <li>{@code Cache-Control}: assets {@code public, max-age=31536000, immutable}; the manifest
 *       and the index page {@code no-cache}; PDF and video {@code public, max-age=604800}; blobs
 *       and control endpoints unchanged. The {@code cc=} and {@code expires=} hooks still apply.
 * </ul>
 *
 * <h2>Stats</h2>
 * {@link fr.acclermont.gateway.demo.OriginStats} counts per path the requests, the body bytes
 * sent, the {@code Range} header of each request, the byte ranges of the object each response
 * sent and the bytes sent more than once. An encoded body counts in the path's bytes but not in
 * its byte ranges, whose offsets are those of the identity object.
 */
package fr.acclermont.gateway.demo;
