package fr.acclermont.gateway.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.config.ConfigLoader;
import fr.acclermont.gateway.metrics.ReloadMeters.Result;
import fr.acclermont.gateway.prefetch.PrefetchStatus;
import fr.acclermont.gateway.testing.HeldOrigin;
import fr.acclermont.gateway.testing.TestGateways;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prefetching and reloads: a change of the {@code prefetch} section is applied live (the next run
 * follows the new lists), and the prefetch fetches through the routes of the configuration now (an
 * origin moved by a reload is prefetched from where it moved).
 * Prefetch runs only on demand here (no windows), started with {@code Prefetcher#startNow}.
 */
class ReloadPrefetchTest {

  @TempDir
  Path work;

  private HeldOrigin origin;
  private Path file;
  private Path list;
  private Gateway gateway;

  @BeforeEach
  void start() throws IOException {
    origin = HeldOrigin.start();
    file = work.resolve("gateway.yaml");
    list = Files.writeString(work.resolve("list.txt"), "/blobs/listed-1\n/blobs/listed-2\n");
    write(origin.baseUri(), prefetch(list));
    gateway = Gateway.start(ConfigLoader.load(file, Map.of()), Clock.systemUTC(), file, Map.of());
  }

  @AfterEach
  void stop() throws IOException {
    gateway.close();
    origin.close();
  }

  private void write(URI to, String extra) throws IOException {
    Files.writeString(file, TestGateways.yaml(to, extra));
  }

  private ReloadOutcome reload() throws Exception {
    return gateway.reload().get(30, TimeUnit.SECONDS);
  }

  /** Runs a prefetch now and waits for its end. */
  private PrefetchStatus prefetchNow() throws Exception {
    gateway.prefetcher().startNow();
    await().atMost(Duration.ofSeconds(20))
        .until(() -> gateway.prefetcher().check().get().state() == PrefetchStatus.State.DONE);
    return gateway.prefetcher().status();
  }

  @Test
  void reload_prefetchListsChanged_applied_nextRunFetchesTheNewList() throws Exception {
    Path other = Files.writeString(work.resolve("other.txt"), "/blobs/other-1\n");
    write(origin.baseUri(), prefetch(other));

    ReloadOutcome outcome = reload();

    assertThat(outcome.result()).isEqualTo(Result.APPLIED);
    assertThat(outcome.message()).contains("prefetch");
    PrefetchStatus done = prefetchNow();
    assertThat(done.objectsDone()).isEqualTo(1);
    assertThat(origin.received()).contains("/blobs/other-1").doesNotContain("/blobs/listed-1", "/blobs/listed-2");
  }

  @Test
  void reload_prefetchTurnedOff_applied_prefetchNowRunsNothing() throws Exception {
    write(origin.baseUri(), "");

    ReloadOutcome outcome = reload();

    assertThat(outcome.result()).isEqualTo(Result.APPLIED);
    assertThat(outcome.message()).contains("prefetch");
    assertThat(gateway.prefetcher().startNow().state()).as("prefetching off").isNotEqualTo(PrefetchStatus.State.RUNNING);
    assertThat(origin.received()).doesNotContain("/blobs/listed-1", "/blobs/listed-2");
  }

  /** The origin's URL changed by a reload: the prefetch fetches from the new one, never the old. */
  @Test
  void reload_originUrlChanged_prefetchFetchesFromTheNewUrl() throws Exception {
    try (HeldOrigin moved = HeldOrigin.start()) {
      write(moved.baseUri(), prefetch(list));
      assertThat(reload().result()).isEqualTo(Result.APPLIED);

      PrefetchStatus done = prefetchNow();

      assertThat(done.objectsDone()).isEqualTo(2);
      assertThat(done.objectsFailed()).isZero();
      assertThat(moved.received()).contains("/blobs/listed-1", "/blobs/listed-2");
      assertThat(origin.received()).isEmpty();
    }
  }

  private static String prefetch(Path list) {
    return "prefetch: { lists: [\"" + list + "\"], max-rate: 0 }";
  }
}
