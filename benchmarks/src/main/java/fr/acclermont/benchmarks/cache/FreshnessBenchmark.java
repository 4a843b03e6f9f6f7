package fr.acclermont.benchmarks.cache;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.CachePolicy;
import fr.acclermont.gateway.cache.CacheRules;
import fr.acclermont.gateway.cache.NoStoreReason;
import fr.acclermont.gateway.cache.RequestDirectives;
import fr.acclermont.gateway.cache.StoredObject;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The freshness decisions (RFC 9111), on the headers a browser and a textbook origin really send.
 * <ul>
 *   <li>{@code hitDecision}: what {@code ResponderChooser} decides for every GET that finds a stored
 *       object: the request's directives ({@code RequestDirectives.of}, which parses its
 *       {@code Cache-Control}) and whether the object satisfies them ({@code CacheRules.fit}: here
 *       {@code StoredObject.isFresh}, its age by RFC 9111 4.2.3 against the lifetime computed when
 *       it was stored).
 *   <li>{@code reloadDecision}: the same for a reload ({@code Cache-Control: max-age=0}): fresh and
 *       validated less than {@code cache.reload-revalidate-interval} ago.
 *   <li>{@code isFresh}: {@code StoredObject.isFresh} alone.
 *   <li>{@code lifetimeMaxAge}, {@code lifetimeExpires}, {@code lifetimeHeuristic}: the lifetime
 *       computed once per stored response ({@code CacheRules.lifetime}): from
 *       {@code Cache-Control: public, max-age=86400}; from {@code Expires} minus {@code Date} (two HTTP
 *       dates parsed); heuristic, a tenth of {@code Date} minus {@code Last-Modified}.
 *   <li>{@code storable}: {@code CachePolicy.whyNotStorable} of a probe's answer (once per fetch).
 * </ul>
 *
 * <p>Workload: one request and one response each, the same every time (no cache misses in the
 * CPU's sense: this is the cost of parsing and arithmetic); the default rules (no overrides).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar FreshnessBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled",
    "-DGATEWAY_LOG_LEVEL=WARN"})
public class FreshnessBenchmark {

  private static final CacheKey KEY = new CacheKey("cloud", "/books/maths-6e/assets/css/style-000.css");

  private final CacheRules rules = CacheRules.DEFAULTS;
  private HttpHeaders browserRequest;
  private HttpHeaders reloadRequest;
  private HttpHeaders maxAgeResponse;
  private HttpHeaders expiresResponse;
  private HttpHeaders heuristicResponse;
  private StoredObject stored;
  private long now;

  @Setup(Level.Trial)
  public void setUp() {
    now = System.currentTimeMillis();
    String date = DateFormatter.format(new Date(now - 60_000));
    browserRequest = BrowserHeaders.stylesheetRequest();
    reloadRequest = new DefaultHttpHeaders().set(browserRequest).set(HttpHeaderNames.CACHE_CONTROL, "max-age=0")
        .set(HttpHeaderNames.IF_NONE_MATCH, "\"66d6c2a0-1f3a\"");
    maxAgeResponse = origin(date).set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=86400");
    expiresResponse = origin(date).set(HttpHeaderNames.EXPIRES, DateFormatter.format(new Date(now + 3_600_000)));
    heuristicResponse = origin(date);
    stored = new StoredObject(KEY, 1, 200, maxAgeResponse, 7994, 1 << 20, now - 60_500, now - 60_000,
        CachePolicy.dateMillis(date, now), 0, rules.lifetime(KEY, 200, maxAgeResponse, now - 60_000), true);
    if (hitDecision() != CacheRules.Fit.FRESH || reloadDecision() != CacheRules.Fit.NONE) {
      throw new IllegalStateException("the workload is not a fresh hit and a reload to revalidate");
    }
  }

  /** The headers of a CSS file from an nginx origin, without freshness information. */
  private static HttpHeaders origin(String date) {
    return new DefaultHttpHeaders()
        .set(HttpHeaderNames.DATE, date)
        .set(HttpHeaderNames.SERVER, "nginx")
        .set(HttpHeaderNames.CONTENT_TYPE, "text/css")
        .set(HttpHeaderNames.CONTENT_LENGTH, 7994)
        .set(HttpHeaderNames.LAST_MODIFIED, "Tue, 03 Sep 2024 08:00:00 GMT")
        .set(HttpHeaderNames.ETAG, "\"66d6c2a0-1f3a\"")
        .set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
  }

  @Benchmark
  public CacheRules.Fit hitDecision() {
    return rules.fit(stored, RequestDirectives.of(browserRequest), now);
  }

  @Benchmark
  public CacheRules.Fit reloadDecision() {
    return rules.fit(stored, RequestDirectives.of(reloadRequest), now);
  }

  @Benchmark
  public boolean isFresh() {
    return stored.isFresh(now);
  }

  @Benchmark
  public long lifetimeMaxAge() {
    return rules.lifetime(KEY, 200, maxAgeResponse, now);
  }

  @Benchmark
  public long lifetimeExpires() {
    return rules.lifetime(KEY, 200, expiresResponse, now);
  }

  @Benchmark
  public long lifetimeHeuristic() {
    return rules.lifetime(KEY, 200, heuristicResponse, now);
  }

  @Benchmark
  public Optional<NoStoreReason> storable() {
    return CachePolicy.whyNotStorable(browserRequest, 200, maxAgeResponse);
  }
}
