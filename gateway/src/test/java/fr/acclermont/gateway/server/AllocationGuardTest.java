package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.TestGateways;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The allocation guard: heap bytes allocated per cache hit, summed over every thread that handles
 * it (event loops, the disk tier's executors, Caffeine's maintenance), stay under a budget. A
 * change that starts copying bodies or building strings per request fails it. Bytes allocated are
 * exact enough to assert (the JVM counts each thread's allocations); time is not, so no timing is
 * asserted here (see benchmarks/).
 *
 * <p>It runs in a surefire execution of its own ({@code allocation-guard} in gateway/pom.xml) with
 * fixed JVM flags and Netty's leak detection off: paranoid leak detection records a stack trace
 * per buffer access and would dominate the count. The client is a raw socket in the test's thread,
 * whose allocations are not counted; the gateway serves it from the store, so the origin is idle.
 *
 * <p>Each measure takes the least of three rounds after a warm-up, so that a round disturbed by a
 * compilation or a cache maintenance burst does not count.
 */
class AllocationGuardTest {

  /**
   * Bytes per memory hit of a 16 KiB object. Measured 2026-12-06 on the 2-core CI machine, shared
   * with other measurements: 2,384 to 2,658 bytes per request over 7 runs, 2,442 to 2,515 in most
   * (2,779 to 2,850 before the codec shared the header names browsers send, {@link EdgeHttp1Codec};
   * 2,744 to 2,776 on 2026-11-29; 3,230 to 3,350 before a hit's head shared the stored fields,
   * {@link StoredHeads}; 3,720 to 3,810 before the request-head timer, the Age, Content-Length and
   * Cache-Status values, the Host check, the request timer lookup and the content wrappers stopped
   * allocating per request). A JFR allocation profile shows what remains: the request head decoded
   * into Netty's request, a value string and an entry per header line (more than half), the client
   * request with its cache key, the write promises, the slice keys and watcher registration, the
   * slice views, the head's array of fields. Budget: the highest plus about 3%, the usual plus about
   * 10%, for JIT, library and machine variation; a per-request copy of the 16 KiB body, or a few
   * more strings or a header map per request, goes over it.
   */
  private static final long MEMORY_HIT_BUDGET = 2_750;

  /**
   * Bytes per disk hit of a 4 MiB object (4 slices of 1 MiB, a memory tier of 256 KiB that holds
   * none of them: every slice is sent from its file with zero-copy). Measured 2026-12-06: 4,307 to
   * 4,429 bytes per request (4,542 to 4,688 before the shared header names; 4,362 to 4,617 on
   * 2026-11-29; 4,900 to 5,120 before the shared head, 5,520 to 5,710 before the changes above)
   * (what a memory hit allocates, plus per slice sent from disk a FileRegion and its file, and the
   * disk index lookups). Budget: the highest plus about 7%; reading a slice into a heap buffer (1 MiB) or
   * a copy per slice goes over it.
   */
  private static final long DISK_HIT_BUDGET = 4_750;

  private static final int WARM_UP = 3_000;
  private static final int MEASURED = 1_000;
  private static final int ROUNDS = 3;

  private static final String BROWSER_HEADERS = """
      Host: gateway.school.example\r
      User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r
      Accept: text/css,*/*;q=0.1\r
      Accept-Language: fr-FR,fr;q=0.8,en-US;q=0.5,en;q=0.3\r
      Accept-Encoding: gzip, deflate, br\r
      Referer: http://gateway.school.example/books/maths-6e/index.html\r
      Connection: keep-alive\r
      Sec-Fetch-Dest: style\r
      Sec-Fetch-Mode: no-cors\r
      \r
      """;

  @TempDir
  static Path diskDir;

  private static DemoOrigin origin;

  @BeforeAll
  static void startOrigin() {
    origin = DemoOrigin.start(DemoOriginOptions.builder().build());
  }

  @AfterAll
  static void stopOrigin() {
    origin.close();
  }

  @Test
  void memoryHit_16KiB_allocatesWithinBudget() throws Exception {
    try (Gateway gateway = TestGateways.start(origin.baseUri(), "", Clock.systemUTC())) {
      long perRequest = bytesPerHit(gateway, "/blobs/16KiB/allocation-guard.css");

      System.out.println("allocation guard: memory hit of 16 KiB: " + perRequest + " bytes per request");
      assertThat(perRequest).as("heap bytes allocated per memory hit").isLessThanOrEqualTo(MEMORY_HIT_BUDGET);
    }
  }

  @Test
  void diskHit_4MiB_allocatesWithinBudget() throws Exception {
    Path dir = Files.createDirectories(diskDir.resolve("disk-hit"));
    // A memory tier smaller than a slice holds none: once verified, every slice goes from its file.
    String yaml = "cache: { memory: { max-bytes: 256KiB, max-object-bytes: 256KiB }, disk: { path: \"" + dir
        + "\" } }\n";
    try (Gateway gateway = TestGateways.start(origin.baseUri(), yaml, Clock.systemUTC())) {
      String path = "/blobs/4MiB/allocation-guard.pdf";
      try (RawClient client = new RawClient(gateway.port(), path)) {
        client.get();
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> countSliceFiles(dir) == 4);
      long perRequest = bytesPerHit(gateway, path);

      System.out.println("allocation guard: disk hit of 4 MiB: " + perRequest + " bytes per request");
      assertThat(perRequest).as("heap bytes allocated per disk hit").isLessThanOrEqualTo(DISK_HIT_BUDGET);
    }
  }

  private static long countSliceFiles(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".slice")).count();
    }
  }

  /** The least, over {@link #ROUNDS} rounds after a warm-up, of the bytes allocated per request. */
  private static long bytesPerHit(Gateway gateway, String path) throws IOException {
    try (RawClient client = new RawClient(gateway.port(), path)) {
      for (int i = 0; i < WARM_UP; i++) {
        client.get();
      }
      long least = Long.MAX_VALUE;
      for (int round = 0; round < ROUNDS; round++) {
        long before = allocatedByOtherThreads();
        for (int i = 0; i < MEASURED; i++) {
          client.get();
        }
        least = Math.min(least, (allocatedByOtherThreads() - before) / MEASURED);
      }
      return least;
    }
  }

  /** Heap bytes allocated so far by every live thread but this one (the client's). */
  private static long allocatedByOtherThreads() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    long[] ids = Arrays.stream(threads.getAllThreadIds()).filter(id -> id != self).toArray();
    return Arrays.stream(threads.getThreadAllocatedBytes(ids)).filter(bytes -> bytes > 0).sum();
  }

  /**
   * A keep-alive client that sends one fixed browser-like GET and reads the response into a reused
   * buffer: it allocates next to nothing per request, and runs on the test's thread anyway.
   */
  private static final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] request;
    private final byte[] buffer = new byte[64 * 1024];

    RawClient(int port, String path) throws IOException {
      socket = new Socket(InetAddress.getLoopbackAddress(), port);
      socket.setSoTimeout(10_000);
      out = socket.getOutputStream();
      in = socket.getInputStream();
      request = ("GET " + path + " HTTP/1.1\r\n" + BROWSER_HEADERS).getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends the request and reads the whole response; fails on anything but a 200 with a body. */
    void get() throws IOException {
      out.write(request);
      int filled = 0;
      int headEnd = -1;
      while (headEnd < 0) {
        int n = in.read(buffer, filled, buffer.length - filled);
        if (n < 0) {
          throw new IOException("connection closed before the response head");
        }
        filled += n;
        headEnd = indexOfHeadEnd(buffer, filled);
      }
      if (buffer[9] != '2' || buffer[10] != '0' || buffer[11] != '0') {
        throw new IOException("expected 200: " + new String(buffer, 0, Math.min(filled, 200), StandardCharsets.US_ASCII));
      }
      long remaining = contentLength(buffer, headEnd) - (filled - headEnd);
      while (remaining > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
        if (n < 0) {
          throw new IOException("connection closed mid-body");
        }
        remaining -= n;
      }
    }

    private static int indexOfHeadEnd(byte[] b, int length) {
      for (int i = 3; i < length; i++) {
        if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
          return i + 1;
        }
      }
      return -1;
    }

    /** The Content-Length value, scanned case-insensitively without building strings. */
    private static long contentLength(byte[] b, int headEnd) throws IOException {
      byte[] name = "content-length:".getBytes(StandardCharsets.US_ASCII);
      outer:
      for (int i = 0; i + name.length < headEnd; i++) {
        for (int j = 0; j < name.length; j++) {
          if (Character.toLowerCase(b[i + j]) != name[j]) {
            continue outer;
          }
        }
        long value = 0;
        for (int k = i + name.length; k < headEnd && b[k] != '\r'; k++) {
          if (b[k] >= '0' && b[k] <= '9') {
            value = value * 10 + (b[k] - '0');
          }
        }
        return value;
      }
      throw new IOException("no Content-Length");
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
