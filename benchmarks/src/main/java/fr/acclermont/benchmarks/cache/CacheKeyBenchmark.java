package fr.acclermont.benchmarks.cache;

import fr.acclermont.gateway.cache.CacheKey;
import fr.acclermont.gateway.cache.StoredObject;
import fr.acclermont.gateway.cache.Variants;
import fr.acclermont.gateway.config.ConfigLoader;
import fr.acclermont.gateway.config.GatewayConfig;
import fr.acclermont.gateway.http.Transport;
import fr.acclermont.gateway.metrics.GatewayMetrics;
import fr.acclermont.gateway.origin.OriginClient;
import fr.acclermont.gateway.origin.OriginRoute;
import fr.acclermont.gateway.origin.OriginRouter;
import fr.acclermont.gateway.server.RequestGuard;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Map;
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
 * Building the cache key of a request, as {@code EdgeHandler} and {@code ClientRequest} do for
 * every request: the request target checked and routed to an origin ({@code RequestGuard.check}:
 * the longest path prefix among the configured origins), the primary key (origin name, path and
 * raw query), then the key of the request's variant ({@code Variants.keyFor}).
 *
 * <p>Workload: three origins with seven path prefixes; 1024 request targets of a book's assets
 * (pages, images, scripts, a tenth with a query string), taken in turn; browser request headers
 * ({@code Accept-Encoding: gzip, deflate, br, zstd}).
 * <ul>
 *   <li>{@code baseline}: reading the next target, to subtract.
 *   <li>{@code primaryKey}: routing the path and building the primary key.
 *   <li>{@code guardAndKey}: the whole per-request key path for a URL not known to vary:
 *       {@code RequestGuard.check} of a browser's request head, then {@code keyFor} (one lookup of
 *       the URLs that vary).
 *   <li>{@code variantKey}: {@code keyFor} of a URL known to vary on {@code Accept-Encoding}: the
 *       field normalized (split, q-values checked, codings sorted and joined) into the variant key.
 *   <li>{@code variantKeyTwoFields}: the same for {@code Vary: Accept-Encoding, Accept-Language}
 *       (the second field only has its whitespace around commas removed).
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar CacheKeyBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled",
    "-DGATEWAY_LOG_LEVEL=WARN"})
public class CacheKeyBenchmark {

  private static final int TARGETS = 1024;
  private static final int MASK = TARGETS - 1;
  private static final String YAML = """
      origins:
        - { name: cloud, url: "http://cloud.example:8000", paths: ["/books/", "/blobs/", "/_origin/"] }
        - { name: media, url: "http://media.example:8000/v2", paths: ["/videos/", "/books/media/"] }
        - { name: ent, url: "http://ent.example", paths: ["/ent/", "/"] }
      """;

  private final String[] targets = new String[TARGETS];
  private final HttpRequest[] requests = new HttpRequest[TARGETS];
  private int cursor;
  private OriginRouter router;
  private RequestGuard guard;
  private final Variants variants = new Variants();
  private final Variants variantsTwoFields = new Variants();
  private CacheKey varying;
  private HttpHeaders browserHeaders;

  @Setup(Level.Trial)
  public void setUp() {
    GatewayConfig config = ConfigLoader.parse(YAML, Map.of());
    OriginClient client = new OriginClient(Transport.NIO, ByteBufAllocator.DEFAULT, new GatewayMetrics("bench", "bench"));
    List<OriginRoute> routes = config.origins().stream().map(o -> new OriginRoute(o, client)).toList();
    router = new OriginRouter(routes);
    guard = new RequestGuard(config.limits(), router, config.server().via());
    browserHeaders = BrowserHeaders.stylesheetRequest();
    java.util.Random random = new java.util.Random(42);
    String[] kinds = {"assets/css/style-%03d.css", "assets/js/reader-%03d.js", "assets/img/page-%03d.png",
        "pages/page-%03d.xhtml", "media/video-%03d.mp4"};
    for (int i = 0; i < TARGETS; i++) {
      String asset = kinds[random.nextInt(kinds.length)].formatted(random.nextInt(400));
      String target = "/books/book-" + random.nextInt(40) + "/" + asset + (i % 10 == 0 ? "?v=" + i : "");
      targets[i] = target;
      requests[i] = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target, browserHeaders);
    }
    varying = new CacheKey("cloud", "/books/maths-6e/manifest.json");
    variants.taught(firstAnswer(varying, "Accept-Encoding")); // learnt from a first answer
    variantsTwoFields.taught(firstAnswer(varying, "Accept-Encoding, Accept-Language"));
  }

  /** A stored answer whose Vary names {@code vary}, as a first answer teaches it. */
  private static StoredObject firstAnswer(CacheKey url, String vary) {
    return new StoredObject(url.withVariant("learnt"), 1, 200, new DefaultHttpHeaders().set("Vary", vary), 10, 4, 0, 0,
        0, 0, 60, true);
  }

  private int next() {
    return cursor++ & MASK;
  }

  @Benchmark
  public String baseline() {
    return targets[next()];
  }

  @Benchmark
  public CacheKey primaryKey() {
    String target = targets[next()];
    int query = target.indexOf('?');
    OriginRoute route = router.route(query < 0 ? target : target.substring(0, query));
    return new CacheKey(route.name(), target);
  }

  @Benchmark
  public CacheKey guardAndKey() {
    HttpRequest request = requests[next()];
    RequestGuard.Accepted accepted = (RequestGuard.Accepted) guard.check(request);
    return variants.keyFor(new CacheKey(accepted.route().name(), accepted.pathAndQuery()), request.headers());
  }

  @Benchmark
  public CacheKey variantKey() {
    return variants.keyFor(varying, browserHeaders);
  }

  @Benchmark
  public CacheKey variantKeyTwoFields() {
    return variantsTwoFields.keyFor(varying, browserHeaders);
  }
}
