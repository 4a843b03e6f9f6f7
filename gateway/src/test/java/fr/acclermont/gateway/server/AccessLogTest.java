package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.acclermont.gateway.config.AccessLogConfig;
import fr.acclermont.gateway.config.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access log's writer: the line format, the destinations, and dropping rather than blocking.
 * Standard output, the default, is tested on a child gateway: {@link AccessLogStdoutTest}.
 */
class AccessLogTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIME = Instant.parse("2025-09-01T08:00:01.007Z").toEpochMilli();

  private static AccessLogEntry entry(String target) throws IOException {
    return new AccessLogEntry(TIME, InetAddress.getByName("10.1.2.3"), "GET", "HTTP/1.1", target, 200, 1234,
        "edge; hit; ttl=60", 412_345, 12_034_567, -1, "cloud", AccessLogEntry.End.COMPLETE);
  }

  @Test
  void format_everyField_inOrderWithUnits() throws IOException {
    AccessLogEntry entry = new AccessLogEntry(TIME, InetAddress.getByName("10.1.2.3"), "GET", "HTTP/2",
        "/books/b/p.pdf?page=3&token=s3cr3t", 206, 65_536, "edge; fwd=miss; fwd-status=206; stored", 412_345,
        12_034_567, 9_000_999, "cloud", AccessLogEntry.End.COMPLETE);

    assertThat(line(entry)).isEqualTo("{\"time\":\"2025-09-01T08:00:01.007Z\",\"client\":\"10.1.2.3\","
        + "\"method\":\"GET\",\"protocol\":\"HTTP/2\",\"path\":\"/books/b/p.pdf?page=3&token=***\",\"status\":206,\"bytes\":65536,"
        + "\"cache\":\"edge; fwd=miss; fwd-status=206; stored\",\"ttfb_ms\":0.412,\"total_ms\":12.034,"
        + "\"origin_ms\":9.000,\"origin\":\"cloud\",\"end\":\"complete\"}");
  }

  @Test
  void format_unknownValues_areNull() throws IOException {
    AccessLogEntry entry = new AccessLogEntry(TIME, null, null, null, null, 400, 0, null, -1, 0, -1, null,
        AccessLogEntry.End.CLIENT_CLOSED);

    assertThat(line(entry)).isEqualTo("{\"time\":\"2025-09-01T08:00:01.007Z\",\"client\":null,\"method\":null,"
        + "\"protocol\":null,\"path\":null,\"status\":400,\"bytes\":0,\"cache\":null,\"ttfb_ms\":null,\"total_ms\":0.000,"
        + "\"origin_ms\":null,\"origin\":null,\"end\":\"client-closed\"}");
  }

  @Test
  void format_quotesAndControlCharacters_escapedOnOneLine() throws IOException {
    String line = line(entry("/x?q=\"a\\b\"\n\u0001é"));

    assertThat(line).doesNotContain("\n").contains("\\\"a\\\\b\\\"\\n\\u0001");
    assertThat(JSON.readTree(line).get("path").asText()).isEqualTo("/x?q=\"a\\b\"\n\u0001é");
  }

  @Test
  void format_ipv6Client_written() throws IOException {
    AccessLogEntry entry = new AccessLogEntry(TIME, InetAddress.getByName("::1"), "GET", "HTTP/1.1", "/", 200, 0, null, 0, 0,
        -1, "cloud", AccessLogEntry.End.COMPLETE);

    assertThat(JSON.readTree(line(entry)).get("client").asText()).isEqualTo("0:0:0:0:0:0:0:1");
  }

  @Test
  void log_toStream_oneJsonObjectPerLineInOrder() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AtomicInteger dropped = new AtomicInteger();
    AccessLog log = AccessLog.to(out, dropped::incrementAndGet, 100);
    for (int i = 0; i < 50; i++) {
      log.log(entry("/x/" + i + "?key=k" + i));
    }
    log.close();

    List<String> lines = List.of(out.toString(StandardCharsets.UTF_8).split("\n", -1));
    assertThat(lines).hasSize(51).last().isEqualTo(""); // every line ends with a newline
    for (int i = 0; i < 50; i++) {
      JsonNode line = JSON.readTree(lines.get(i));
      assertThat(line.get("path").asText()).isEqualTo("/x/" + i + "?key=***");
    }
    assertThat(dropped).hasValue(0);
  }

  @Test
  void log_queueFull_dropsAndCountsWhileTheWriterIsHeld() throws Exception {
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger writesDone = new AtomicInteger();
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    OutputStream stuck = new OutputStream() {
      @Override
      public void write(int b) {
        written.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        writing.countDown();
        try {
          release.await(30, TimeUnit.SECONDS); // a destination that cannot keep up
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        written.write(b, off, len);
        writesDone.incrementAndGet();
      }
    };
    AtomicInteger dropped = new AtomicInteger();
    AccessLog log = AccessLog.to(stuck, dropped::incrementAndGet, 4);
    log.log(entry("/first"));
    assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue(); // the writer holds /first, the queue is empty

    for (int i = 0; i < 7; i++) {
      log.log(entry("/queued-or-dropped-" + i));
    }

    assertThat(dropped).hasValue(3);
    // Had a call blocked, it would have returned only once the writer's wait ran out and it wrote.
    assertThat(writesDone).as("writes finished when the seven calls returned").hasValue(0);
    release.countDown();
    log.close();
    assertThat(written.toString(StandardCharsets.UTF_8).split("\n")).hasSize(5)
        .allSatisfy(line -> assertThat(JSON.readTree(line).get("status").asInt()).isEqualTo(200));
  }

  @Test
  void log_writeFails_dropsAndCountsThenRecovers() throws Exception {
    AtomicInteger writes = new AtomicInteger();
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    OutputStream failingOnce = new OutputStream() {
      @Override
      public void write(int b) {
        written.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (writes.incrementAndGet() == 1) {
          throw new IOException("No space left on device");
        }
        written.write(b, off, len);
      }
    };
    AtomicInteger dropped = new AtomicInteger();
    AccessLog log = AccessLog.to(failingOnce, dropped::incrementAndGet, 100);

    log.log(entry("/lost"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(dropped).hasValue(1));
    log.log(entry("/kept"));
    log.close();

    assertThat(written.toString(StandardCharsets.UTF_8)).contains("\"path\":\"/kept\"").doesNotContain("/lost");
    assertThat(dropped).hasValue(1);
  }

  @Test
  void log_afterClose_droppedAndCounted() throws Exception {
    AtomicInteger dropped = new AtomicInteger();
    AccessLog log = AccessLog.to(new ByteArrayOutputStream(), dropped::incrementAndGet, 10);
    log.close();

    log.log(entry("/late"));

    assertThat(dropped).hasValue(1);
  }

  @Test
  void open_off_writesNothing() throws Exception {
    AccessLog log = AccessLog.open(AccessLogConfig.OFF, () -> { });

    assertThat(log.enabled()).isFalse();
    log.log(entry("/nowhere")); // a no-op
    log.close();
  }

  @Test
  void open_file_appendsLines(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("access.log"), "an earlier line\n");

    AccessLog log = AccessLog.open(AccessLogConfig.file(file), () -> { });
    log.log(entry("/one"));
    log.log(entry("/two"));
    log.close();

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(3).first().isEqualTo("an earlier line");
    assertThat(JSON.readTree(lines.get(1)).get("path").asText()).isEqualTo("/one");
    assertThat(JSON.readTree(lines.get(2)).get("path").asText()).isEqualTo("/two");
  }

  @Test
  void open_fileInMissingDirectory_failsNamingKey(@TempDir Path dir) {
    Path file = dir.resolve("missing/access.log");

    assertThatThrownBy(() -> AccessLog.open(AccessLogConfig.file(file), () -> { }))
        .isInstanceOf(ConfigException.class)
        .hasMessage("access-log.path: cannot open " + file + " for appending: No such file or directory");
  }

  @Test
  void open_directory_failsNamingKey(@TempDir Path dir) {
    assertThatThrownBy(() -> AccessLog.open(AccessLogConfig.file(dir), () -> { }))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("access-log.path: cannot open " + dir + " for appending: ");
  }

  @Test
  void reopen_afterRename_linesBeforeInRenamedFile_linesAfterInNewFile_noneLost(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("access.log");
    Path rotated = dir.resolve("access.log.1");
    AtomicInteger dropped = new AtomicInteger();
    AccessLog log = AccessLog.open(AccessLogConfig.file(file), dropped::incrementAndGet);
    for (int i = 0; i < 1000; i++) {
      log.log(entry("/before/" + i));
    }
    Files.move(file, rotated); // logrotate without copytruncate: the writer still holds the renamed file
    log.reopen();
    for (int i = 0; i < 1000; i++) {
      log.log(entry("/after/" + i));
    }
    log.close();

    assertThat(paths(rotated)).hasSize(1000).allMatch(p -> p.startsWith("/before/"));
    assertThat(paths(file)).hasSize(1000).allMatch(p -> p.startsWith("/after/"));
    assertThat(dropped).hasValue(0);
  }

  @Test
  void reopen_whileLoggingFromTwoThreads_everyLineInOneOfTheFiles(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("access.log");
    AtomicInteger dropped = new AtomicInteger();
    AccessLog log = AccessLog.open(AccessLogConfig.file(file), dropped::incrementAndGet);
    int perThread = 5_000;
    List<Thread> loggers = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      int thread = t;
      loggers.add(new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          try {
            log.log(entry("/t" + thread + "/" + i));
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }
      }));
    }
    loggers.forEach(Thread::start);
    for (int rotation = 1; rotation <= 5; rotation++) {
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));
      Files.move(file, dir.resolve("access.log." + rotation));
      log.reopen();
    }
    for (Thread thread : loggers) {
      thread.join(30_000);
    }
    log.close();

    List<String> all = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path each : files.toList()) {
        all.addAll(paths(each));
      }
    }
    assertThat(dropped).hasValue(0); // the queue holds 16 384 lines: none is dropped here
    assertThat(all).hasSize(2 * perThread).doesNotHaveDuplicates();
  }

  @Test
  void reopen_pathCannotBeOpened_keepsWritingToTheRenamedFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("access.log");
    Path rotated = dir.resolve("access.log.1");
    AtomicInteger dropped = new AtomicInteger();
    AccessLog log = AccessLog.open(AccessLogConfig.file(file), dropped::incrementAndGet);
    log.log(entry("/before"));
    Files.move(file, rotated);
    Files.createDirectory(file); // the path cannot be opened as a file now
    log.reopen();
    log.log(entry("/after"));
    log.close();

    assertThat(paths(rotated)).containsExactly("/before", "/after");
    assertThat(dropped).hasValue(0);
  }

  @Test
  void reopen_streamOrOff_doesNothing() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AccessLog log = AccessLog.to(out, () -> { }, 10);
    log.log(entry("/one"));
    log.reopen();
    log.log(entry("/two"));
    log.close();
    AccessLog.off().reopen();

    assertThat(out.toString(StandardCharsets.UTF_8).split("\n")).hasSize(2);
  }

  /** The {@code path} of every line of {@code file}. */
  private static List<String> paths(Path file) throws IOException {
    List<String> paths = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      paths.add(JSON.readTree(line).get("path").asText());
    }
    return paths;
  }

  /** The line the writer makes of one entry, without its newline. */
  private static String line(AccessLogEntry entry) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AccessLog log = AccessLog.to(out, () -> { }, 1);
    log.log(entry);
    log.close();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).endsWith("\n");
    List<String> lines = new ArrayList<>(List.of(text.split("\n")));
    assertThat(lines).hasSize(1);
    JsonNode parsed = JSON.readTree(lines.get(0));
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = parsed.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    assertThat(names).containsExactly("time", "client", "method", "protocol", "path", "status", "bytes", "cache", "ttfb_ms",
        "total_ms", "origin_ms", "origin", "end");
    return lines.get(0);
  }
}
