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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cache busting (random query strings) and a flood of one-off URLs against the books a class uses:
 * a book's 24 assets, read four times as a class does, then ten times the memory tier's size (8 MiB)
 * of distinct objects each requested once, then the book again. Exact origin request counts.
 *
 * <p>Here W-TinyLFU keeps the book when the memory tier was already full when the class read it:
 * a one-off slice (one use: its creation; the tier's other lookups are quiet) is less frequent than
 * the book's and is refused admission. It does not when the class read the book while the tier was
 * less than half full (after a start): Caffeine records no frequency until its weighted size
 * reaches half its maximum, and then sizes its sketch by the entry count (reallocating it, its counts
 * lost, as that count grows; {@code initialCapacity} does not size it), so the book looks as rare
 * as the flood's one-offs, which evict it. Measured with the load tool (README, "Measured: a flood
 * of one-off URLs beside a class"), a class's book read into a full tier also survives a flood of
 * ten times the tier, since lookups other than a read are quiet. {@code cache.min-uses: 2} closes
 * every case: a URL's body is stored only from its second request within 10 minutes, so a one-off
 * never enters either tier.
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
   * The class reads the book ({@code misses} times to store it, the first {@code cache.min-uses}),
   * then three times more, the flood passes, the class reads it again.
   */
  private int bookHitsAfterFlood(TestHttpClient client, List<String> book, int misses) throws Exception {
    for (int i = 0; i < misses; i++) {
      assertThat(readAll(client, book)).isZero();
    }
    for (int student = 0; student < 3; student++) {
      assertThat(readAll(client, book)).isEqualTo(BOOK_ASSETS);
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
  void tierLessThanHalfFull_floodOfOneOffs_evictsWarmedBook_withoutMinUses() throws Exception {
    startGateway("");
    List<String> book = paths("cold-book", BOOK_ASSETS);
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      // What W-TinyLFU alone gives after a start (no frequency recorded below half full, however
      // quiet the lookups): recorded here so that a change is noticed.
      assertThat(bookHitsAfterFlood(client, book, 1)).isLessThan(BOOK_ASSETS);
    }
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
