package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.Asset;
import fr.acclermont.gateway.demo.Book;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's "Scaling out" figures: ten schools open the same book at the same time (its page,
 * manifest and every asset, one tablet per school; not its PDF, which ten copies of in this one
 * test JVM would not fit the direct memory of), each school gateway straight in front
 * of the origin, then all ten behind one académie tier gateway ({@code origins[].parents}). Counts
 * are exact, so they are asserted: without the tier the book crosses the uplink ten times, with it
 * once, every body the origin's byte for byte. Prints the figures for the README.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class TenSchoolsFiguresTest {

  private static final int SCHOOLS = 10;

  private static DemoOrigin origin;
  private static List<String> book;
  private static final Map<String, String> originDigests = new HashMap<>();
  private static long bookBytes;

  @BeforeAll
  static void start() throws Exception {
    origin = DemoOrigin.start(DemoOriginOptions.builder().build());
    Book first = origin.catalog().books().get(0);
    List<String> paths = new ArrayList<>(List.of(first.indexPath(), first.manifestPath()));
    first.assets().stream().map(Asset::path).forEach(paths::add);
    book = List.copyOf(paths);
    try (TestHttpClient direct = TestHttpClient.connect(origin.port())) {
      for (String path : book) {
        Response r = direct.get(path).readDigestOnly();
        assertThat(r.status()).as(path).isEqualTo(200);
        originDigests.put(path, r.sha256());
        bookBytes += r.bodyLength();
      }
    }
    // The origin counts a body's bytes as its writes complete, maybe just after the client read
    // them: wait for the last ones, so that none lands after the reset.
    long direct = bookBytes;
    await().atMost(Duration.ofSeconds(10)).until(() -> origin.stats().bytes() == direct);
    origin.stats().reset();
  }

  @AfterAll
  static void stop() {
    origin.close();
  }

  @Test
  void tenSchoolsOpenOneBook_withoutTheTierTenUplinkCopies_withItOne() throws Exception {
    Figures direct = run(null);
    Figures tier;
    Gateway academie = TestGateways.start(origin.baseUri(), """
        server: { via: academie-tier }
        cache: { name: academie, memory: { max-bytes: 512MiB } }
        """, Clock.systemUTC());
    try {
      tier = run("http://127.0.0.1:" + academie.port());
    } finally {
      academie.close();
    }

    System.out.printf("%d schools open %s (%d objects, %,d bytes): without the tier %d origin requests,"
        + " %,d bytes; with the tier %d origin requests, %,d bytes%n", SCHOOLS, book.get(0), book.size(), bookBytes,
        direct.requests(), direct.bytes(), tier.requests(), tier.bytes());
    assertThat(direct.bytes()).as("each school fetches the book").isEqualTo(SCHOOLS * bookBytes);
    assertThat(tier.bytes()).as("the tier fetches it once for the ten").isEqualTo(bookBytes);
    assertThat(direct.requests() % SCHOOLS).isZero();
    assertThat(tier.requests()).as("each object asked of the origin once for the ten, in the same slices")
        .isEqualTo(direct.requests() / SCHOOLS);
  }

  private record Figures(long requests, long bytes) {
  }

  /** Ten fresh school gateways (with {@code parent}, or none) open the book together. */
  private static Figures run(String parent) throws Exception {
    long requestsBefore = origin.stats().requests();
    long bytesBefore = origin.stats().bytes();
    List<Gateway> schools = new ArrayList<>();
    ExecutorService tablets = Executors.newFixedThreadPool(SCHOOLS);
    try {
      for (int i = 0; i < SCHOOLS; i++) {
        schools.add(TestGateways.start(origin.baseUri(), school(i, parent), Clock.systemUTC()));
      }
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> opened = new ArrayList<>();
      for (Gateway school : schools) {
        opened.add(tablets.submit(() -> {
          try (TestHttpClient tablet = TestHttpClient.connect(school.port())) {
            go.await();
            for (String path : book) {
              Response r = tablet.get(path).readDigestOnly();
              assertThat(r.status()).as(path).isEqualTo(200);
              assertThat(r.sha256()).as("the origin's bytes: " + path).isEqualTo(originDigests.get(path));
              if (parent != null) {
                assertThat(r.header("Cache-Status")).as("through the tier: " + path).startsWith("academie; ");
              }
            }
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : opened) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      tablets.shutdownNow();
      schools.forEach(Gateway::close);
    }
    return new Figures(origin.stats().requests() - requestsBefore, origin.stats().bytes() - bytesBefore);
  }

  private static String school(int i, String parent) {
    String parents = parent == null ? "" : "    parents: [\"" + parent + "\"]\n";
    URI url = origin.baseUri();
    return """
        server: { via: school-%1$d }
        cache: { name: school-%1$d }
        origins:
          - name: cloud
            url: %2$s
        %3$s    paths: ["/"]
            connect-timeout: 1s
            response-timeout: 10s
            idle-timeout: 10s
        """.formatted(i, url, parents);
  }
}
