package fr.acclermont.gateway.prefetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.testing.TestGateways;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prefetch stopped by a restart resumes where it stopped (disk tier): the gateway stops while the
 * origin holds the third object's request; the next gateway, on the same directory, goes on with
 * the pass at once (it was asked for on demand), does not ask the origin again about the two
 * objects done (marked {@code no-cache}, they would otherwise be revalidated), and fetches the rest.
 */
class PrefetchResumeTest {

  private static final String HELD = "/blobs/64KiB/resume-3";

  @TempDir
  Path dir;

  @Test
  void restartMidRun_doneObjectsNotAskedAgain_theRestFetched() throws Exception {
    PrefetchYieldTest.Hold hold = new PrefetchYieldTest.Hold(HELD);
    Path list = Files.writeString(dir.resolve("prefetch.txt"), """
        /blobs/64KiB/resume-1?cc=no-cache
        /blobs/64KiB/resume-2?cc=no-cache
        %s
        /blobs/64KiB/resume-4
        /blobs/64KiB/resume-5
        """.formatted(HELD));
    String yaml = """
        cache: { disk: { path: "%s" } }
        prefetch: { lists: ["%s"], max-rate: 0 }
        """.formatted(dir.resolve("cache"), list);
    try (DemoOrigin origin = DemoOrigin.start(DemoOriginOptions.builder()
        .pipelineCustomizer(pipeline -> pipeline.addFirst(hold)).build())) {
      try (Gateway first = TestGateways.start(origin.baseUri(), yaml, Clock.systemUTC())) {
        first.prefetcher().startNow();
        await().atMost(Duration.ofSeconds(20)).until(() -> first.prefetcher().status().objectsDone() == 2
            && origin.stats().requests() == 2 && first.prefetcher().status().current() != null
            && first.prefetcher().status().current().endsWith(HELD));
      } finally {
        hold.release();
      }
      assertThat(Files.readString(dir.resolve("cache").resolve(PrefetchProgress.FILE_NAME)))
          .contains("done cloud /blobs/64KiB/resume-1?cc=no-cache", "done cloud /blobs/64KiB/resume-2?cc=no-cache");

      try (Gateway second = TestGateways.start(origin.baseUri(), yaml, Clock.systemUTC())) {
        await().atMost(Duration.ofSeconds(20)).until(() -> second.prefetcher().status().state()
            == PrefetchStatus.State.DONE);

        PrefetchStatus status = second.prefetcher().status();
        assertThat(status.objectsDone()).isEqualTo(5);
        assertThat(status.objectsTotal()).isEqualTo(5);
        assertThat(origin.stats().requests("/blobs/64KiB/resume-1")).isEqualTo(1);
        assertThat(origin.stats().requests("/blobs/64KiB/resume-2")).isEqualTo(1);
        assertThat(origin.stats().bodyBytes(HELD)).isGreaterThanOrEqualTo(64 * 1024);
        assertThat(origin.stats().requests("/blobs/64KiB/resume-4")).isEqualTo(1);
        assertThat(origin.stats().requests("/blobs/64KiB/resume-5")).isEqualTo(1);
      }
      assertThat(Files.readString(dir.resolve("cache").resolve(PrefetchProgress.FILE_NAME)))
          .as("the pass completed: no pass under way").contains("completed ").doesNotContain("pass ");
    }
  }
}
