package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cache busting (random query strings) and a flood of one-off URLs against the books a class uses:
 * a book's 24 assets, each read by four students in turn as a class does, then ten times the memory tier's size (8 MiB)
 * of distinct objects each requested once, then the book again. Exact origin request counts.
 *
 * <p>W-TinyLFU keeps the book: a one-off slice (one use: its creation; the tier's other lookups
 * are quiet) is less frequent than the book's and is refused admission, whether the tier was
 * already full when the class read the book or nearly empty (after a start: the memory tier primes
 * Caffeine's frequency sketch, which would otherwise record nothing below half full, see
 * {@code FrequencySketchPrimer}). {@code cache.min-uses: 2} keeps one-offs out of the tiers
 * altogether: a URL's body is stored only from its second request within 10 minutes.
 */
class CacheFloodTest {

  private static final int BOOK_ASSETS = 24;

  private DemoOrigin origin;
  private Gateway gateway;

  @BeforeEach
  void startOrigin() {
    origin = DemoOrigin.start(DemoOriginOptions.builder().build());
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    origin.close();
  }

  private void startGateway(String cacheYaml) {
    gateway = TestGateways.start(origin.baseUri(),
        "cache: { memory: { max-bytes: 8MiB, max-object-bytes: 1MiB }" + cacheYaml + " }\n", Clock.systemUTC());
  }

  private static List<String> paths(String prefix, int count) {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      paths.add("/blobs/64KiB/" + prefix + "-" + i);
    }
    return paths;
  }

  private long originRequests(List<String> paths) {
    return paths.stream().mapToLong(p -> origin.stats().requests(p)).sum();
  }

  /** 80 MiB of distinct one-off objects: new names, and one name busted with random query strings. */
  private static List<String> flood() {
    List<String> flood = new ArrayList<>();
    for (int i = 0; i < 640; i++) {
      flood.add("/blobs/64KiB/one-off-" + i);
      flood.add("/blobs/64KiB/busted?v=" + Long.toHexString(i * 0x9E3779B97F4A7C15L));
    }
    return flood;
  }

  /** Reads every target once on one keep-alive connection; returns the hits. */
  private static int readAll(TestHttpClient client, List<String> targets) throws Exception {
    int hits = 0;
    for (String target : targets) {
      Response response = client.get(target).readDigestOnly();
      assertThat(response.status()).as(target).isEqualTo(200);
      if (response.header("Cache-Status").startsWith("edge; hit")) {
        hits++;
      }
    }
    return hits;
  }

  /**
   * A class of four reads the book as a class does, each asset by every student in turn (the
   * first {@code misses} reads of an asset miss: {@code cache.min-uses}), the flood passes, the
   * class reads the book again.
   */
  private int bookHitsAfterFlood(TestHttpClient client, List<String> book, int misses) throws Exception {
    int students = 4;
    for (String asset : book) {
      List<String> classReads = Collections.nCopies(students, asset);
      assertThat(readAll(client, classReads)).as(asset).isEqualTo(students - misses);
    }
    List<String> flood = flood();
    long before = origin.stats().requests();
    assertThat(readAll(client, flood)).isZero();
    assertThat(origin.stats().requests() - before).isEqualTo(flood.size());
    return readAll(client, book);
  }

  @Test
  void fullTier_floodOfOneOffs_tenTimesMemory_warmedBookStaysHits() throws Exception {
    startGateway("");
    List<String> book = paths("full-book", BOOK_ASSETS);
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      readAll(client, paths("yesterday", 160)); // 10 MiB of yesterday's objects: the tier is full
      assertThat(bookHitsAfterFlood(client, book, 1)).isEqualTo(BOOK_ASSETS);
    }
    assertThat(originRequests(book)).isEqualTo(BOOK_ASSETS);
  }

  @Test
  void tierLessThanHalfFull_floodOfOneOffs_tenTimesMemory_warmedBookStaysHits() throws Exception {
    startGateway("");
    List<String> book = paths("cold-book", BOOK_ASSETS);
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      // Right after a start: Caffeine alone would record no frequency below half full (the primed
      // sketch does), and the flood would evict the whole book.
      assertThat(bookHitsAfterFlood(client, book, 1)).isEqualTo(BOOK_ASSETS);
    }
    assertThat(originRequests(book)).isEqualTo(BOOK_ASSETS);
  }

  @Test
  void classCollapsedOnOneFetch_everyFollowerCountsAUse_theFetcherOnlyTheCreation() throws Exception {
    startGateway("");
    String target = "/blobs/64KiB/class-page?delay=300"; // all four arrive while the origin prepares it
    long usesBefore = gateway.memory().meteredCache().stats().hitCount();
    ExecutorService students = Executors.newFixedThreadPool(4);
    try {
      List<Future<Response>> reads = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        reads.add(students.submit(() -> {
          try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
            return client.get(target).readDigestOnly();
          }
        }));
      }
      int collapsed = 0;
      for (Future<Response> read : reads) {
        Response response = read.get(30, TimeUnit.SECONDS);
        assertThat(response.status()).isEqualTo(200);
        collapsed += response.header("Cache-Status").endsWith("; collapsed") ? 1 : 0;
      }
      assertThat(collapsed).isEqualTo(3);
    } finally {
      students.shutdownNow();
    }
    assertThat(origin.stats().requests("/blobs/64KiB/class-page")).isOne();
    // W-TinyLFU sees a class's page as used four times (its one slice: created once, read by three
    // more), not once: a class's book outweighs a one-off that its fetcher alone read.
    assertThat(gateway.memory().meteredCache().stats().hitCount() - usesBefore).isEqualTo(3);
  }

  @Test
  void minUsesTwo_tierLessThanHalfFull_floodOfOneOffs_warmedBookStaysHits() throws Exception {
    startGateway(", min-uses: 2");
    List<String> book = paths("guarded-book", BOOK_ASSETS);
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      assertThat(bookHitsAfterFlood(client, book, 2)).isEqualTo(BOOK_ASSETS);
    }
    // Each asset's first request passed through, its second stored it.
    assertThat(originRequests(book)).isEqualTo(2L * BOOK_ASSETS);
    assertThat(gateway.memory().weightedBytes()).isLessThan(2L << 20);
  }

  @Test
  void manyRangesInOneHeader_answeredWholeFromTheCache_oneFetch() throws Exception {
    startGateway("");
    String path = "/blobs/3MiB/many-ranges";
    StringBuilder ranges = new StringBuilder("Range: bytes=0-0");
    for (int i = 1; i < 500; i++) {
      ranges.append(',').append(i * 6000).append('-').append(i * 6000 + 9);
    }
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      Response first = client.get(path, ranges.toString()).readDigestOnly();
      Response second = client.get(path, ranges.toString()).readDigestOnly();

      assertThat(first.status()).isEqualTo(200);
      assertThat(first.bodyLength()).isEqualTo(3L << 20);
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.header("Cache-Status")).startsWith("edge; hit");
    }
    assertThat(origin.stats().requests(path)).isEqualTo(3); // its three slices, once
  }
}
