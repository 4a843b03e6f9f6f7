package fr.acclermont.gateway.prefetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.testing.MutableClock;
import fr.acclermont.gateway.testing.ScriptedOrigin;
import fr.acclermont.gateway.testing.TestGateways;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lists: a file read again when it changes, a URL fetched from its origin at each run (not
 * stored), entries that no client could ask for reported and skipped, a missing list reported
 * without completing the pass.
 */
class PrefetchListsTest {

  @TempDir
  Path dir;

  private static PrefetchStatus awaitEnd(Gateway gateway) {
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.prefetcher().status().state()
        != PrefetchStatus.State.RUNNING);
    return gateway.prefetcher().status();
  }

  private static ScriptedOrigin.Answer text(String body) {
    return new ScriptedOrigin.Answer(200, body, "Cache-Control", "max-age=3600");
  }

  @Test
  void listUrl_fetchedFromItsOriginAtEachRun_itsEntriesPrefetched() throws Exception {
    MutableClock clock = new MutableClock();
    try (ScriptedOrigin origin = ScriptedOrigin.start(0, clock)) {
      String url = origin.baseUri() + "/books/lists/school.txt";
      origin.answer("/books/lists/school.txt", text("/books/u1.txt\n" + origin.baseUri() + "/books/u2.txt\n"));
      origin.answer("/books/u1.txt", text("one"));
      origin.answer("/books/u2.txt", text("two"));
      try (Gateway gateway = TestGateways.start(origin.baseUri(),
          "prefetch: { lists: [\"" + url + "\"], max-rate: 0 }", clock)) {

        gateway.prefetcher().startNow();
        PrefetchStatus first = awaitEnd(gateway);
        gateway.prefetcher().startNow();
        await().atMost(Duration.ofSeconds(20)).until(() -> origin.received("/books/lists/school.txt").size() == 2);
        PrefetchStatus second = awaitEnd(gateway);

        assertThat(first.state()).isEqualTo(PrefetchStatus.State.DONE);
        assertThat(first.objectsDone()).isEqualTo(2);
        assertThat(second.objectsDone()).isEqualTo(2);
        assertThat(origin.received("/books/u1.txt")).hasSize(1);
        assertThat(origin.received("/books/u2.txt")).hasSize(1);
        assertThat(origin.received("/books/lists/school.txt").get(0).header("User-Agent"))
            .isEqualTo("textbook-gateway-prefetch");
      }
    }
  }

  @Test
  void missingFile_reportedAndNotDone_thenWritten_fetched() throws Exception {
    MutableClock clock = new MutableClock();
    Path list = dir.resolve("later.txt");
    try (ScriptedOrigin origin = ScriptedOrigin.start(0, clock);
        Gateway gateway = TestGateways.start(origin.baseUri(),
            "prefetch: { lists: [\"" + list + "\"], max-rate: 0 }", clock)) {
      origin.answer("/books/l1.txt", text("one"));
      origin.answer("/books/l2.txt", text("two"));

      gateway.prefetcher().startNow();
      PrefetchStatus missing = awaitEnd(gateway);

      assertThat(missing.state()).isEqualTo(PrefetchStatus.State.IDLE);
      assertThat(missing.lastError()).isEqualTo("list " + list + ": no such file");
      assertThat(missing.lastCompleted()).isNull();

      Files.writeString(list, "/books/l1.txt\n");
      gateway.prefetcher().startNow();
      await().atMost(Duration.ofSeconds(20)).until(() -> gateway.prefetcher().status().state()
          == PrefetchStatus.State.DONE);
      assertThat(origin.received("/books/l1.txt")).hasSize(1);

      Files.writeString(list, "/books/l1.txt\n/books/l2.txt\n");
      Files.setLastModifiedTime(list, FileTime.from(Instant.now().plusSeconds(5)));
      gateway.prefetcher().startNow();
      await().atMost(Duration.ofSeconds(20)).until(() -> origin.received("/books/l2.txt").size() == 1
          && gateway.prefetcher().status().state() == PrefetchStatus.State.DONE);
      assertThat(gateway.prefetcher().status().objectsTotal()).isEqualTo(2);
      assertThat(origin.received("/books/l1.txt")).as("fresh: not asked again").hasSize(1);
    }
  }

  @Test
  void entriesNoClientCouldAskFor_reportedAndSkipped() throws Exception {
    MutableClock clock = new MutableClock();
    Path list = Files.writeString(dir.resolve("prefetch.txt"),
        "/nowhere/x.txt\nhttp://other.example/books/y.txt\nbooks/relative.txt\n/books/ok.txt\n");
    try (ScriptedOrigin origin = ScriptedOrigin.start(0, clock);
        Gateway gateway = TestGateways.start(origin.baseUri(),
            "prefetch: { lists: [\"" + list + "\"], max-rate: 0 }", clock)) {
      origin.answer("/books/ok.txt", text("ok"));

      gateway.prefetcher().startNow();
      PrefetchStatus status = awaitEnd(gateway);

      assertThat(status.state()).isEqualTo(PrefetchStatus.State.DONE);
      assertThat(status.objectsTotal()).isEqualTo(1);
      assertThat(status.objectsDone()).isEqualTo(1);
      assertThat(status.lastError()).startsWith("list " + list + ": books/relative.txt: url: ");
      assertThat(origin.received()).extracting(ScriptedOrigin.Received::path).containsExactly("/books/ok.txt");
    }
  }
}
