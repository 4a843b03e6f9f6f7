package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A class opening the same object at once: one origin fetch, every client streamed from it as the
 * bytes arrive, each at its own pace; failures reach only the clients of that fetch.
 */
class CoalescingTest {

  @RegisterExtension
  static final GatewayExtension env = new GatewayExtension();

  private static final ExecutorService students = Executors.newFixedThreadPool(35);

  @AfterAll
  static void stopStudents() {
    students.shutdownNow();
  }

  private static List<Response> concurrently(int clients, Callable<Response> request) throws Exception {
    List<Future<Response>> futures = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      futures.add(students.submit(request));
    }
    List<Response> responses = new ArrayList<>();
    for (Future<Response> future : futures) {
      responses.add(future.get(60, TimeUnit.SECONDS));
    }
    return responses;
  }

  private static Response download(String target) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      return client.get(target).readDigestOnly();
    }
  }

  @Test
  void thirtyFiveClients_coldObject_oneOriginRequestAndIdenticalBytes() throws Exception {
    String path = "/blobs/20MiB/class-of-35";
    String target = path + "?delay=300"; // every student arrives while the origin prepares its answer
    String expected = ExpectedContent.sha256(path, 20 << 20);
    double coalescedBefore = coalesced();

    List<Response> responses = concurrently(35, () -> download(target));

    assertThat(responses).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.complete()).isTrue();
      assertThat(r.sha256()).isEqualTo(expected);
    });
    assertThat(env.origin().stats().requests(path)).isEqualTo(1);
    long collapsed = responses.stream().filter(r -> r.header("Cache-Status").contains("collapsed")).count();
    long led = responses.stream().filter(r -> r.header("Cache-Status").endsWith("stored")).count();
    assertThat(led).isEqualTo(1);
    assertThat(collapsed).isEqualTo(34);
    assertThat(coalesced() - coalescedBefore).isEqualTo(34);
  }

  private static double coalesced() {
    return env.gateway().metrics().registry().get("gateway.coalesced.requests").counter().count();
  }

  @Test
  void leaderDisconnectingAtOnce_fetchStillFillsTheCache() throws Exception {
    String path = "/blobs/2MiB/nobody-waits";
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      client.get(path + "?delay=200"); // and leaves before the origin answers
    }
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> env.gateway().memory().object(new fr.acclermont.gateway.cache.CacheKey("cloud",
            path + "?delay=200")) != null);
    Response next = download(path + "?delay=200");

    assertThat(next.header("Cache-Status")).startsWith("edge; hit");
    assertThat(next.sha256()).isEqualTo(ExpectedContent.sha256(path, 2 << 20));
    assertThat(env.origin().stats().requests(path)).isEqualTo(1);
  }

  @Test
  void slowClient_doesNotSlowTheOthers() throws Exception {
    String path = "/blobs/8MiB/slow-among-fast";
    String target = path + "?delay=300";
    try (TestHttpClient slow = TestHttpClient.connect(env.gateway().port(), 32 * 1024)) {
      slow.get(target);
      assertThat(slow.readRaw(64 * 1024)).isEqualTo(64 * 1024); // then it stops reading for a while

      List<Response> fast = concurrently(5, () -> download(target));

      assertThat(fast).allSatisfy(r -> assertThat(r.sha256()).isEqualTo(ExpectedContent.sha256(path, 8 << 20)));
      long rest = slow.readRaw((8L << 20) - 64 * 1024); // then it reads the rest, all of it there
      assertThat(rest).isEqualTo((8L << 20) - 64 * 1024);
    }
    assertThat(env.origin().stats().requests(path)).isEqualTo(1);
  }

  @Test
  void oneClientAborting_doesNotDisturbTheOthers() throws Exception {
    String path = "/blobs/8MiB/one-aborts";
    String target = path + "?delay=300";
    Future<Response> aborter = students.submit(() -> {
      try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
        client.get(target);
        client.readRaw(1 << 20);
        return null; // closes mid-body
      }
    });
    List<Response> others = concurrently(5, () -> download(target));
    aborter.get(30, TimeUnit.SECONDS);

    assertThat(others).allSatisfy(r -> assertThat(r.sha256()).isEqualTo(ExpectedContent.sha256(path, 8 << 20)));
    assertThat(env.origin().stats().requests(path)).isEqualTo(1);
  }

  @Test
  void originResetMidBody_everyClientOfThatFetchSeesABrokenBody_andTheNextRequestFetchesAgain() throws Exception {
    String path = "/blobs/4MiB/resets-for-all";
    String target = path + "?delay=300&reset-after=1000000";

    List<Response> responses = concurrently(5, () -> {
      try {
        return download(target);
      } catch (java.io.IOException brokenBeforeTheHead) {
        return null;
      }
    });

    // Broken one way or another, never complete: the connection closed before the head (null), a
    // body shorter than announced, or, for a client whose head was not sent yet, a 502.
    assertThat(responses).allSatisfy(r -> assertThat(r == null || !r.complete() || r.status() == 502).isTrue());
    assertThat(env.origin().stats().requests(path)).isEqualTo(1);
    Response next = download(target);
    assertThat(next.complete()).isFalse(); // the hook resets this fetch too...
    assertThat(env.origin().stats().requests(path)).isEqualTo(2); // ...but it was fetched again: nothing partial was stored
  }

  @Test
  void notShareableResponse_eachClientFetchesOnItsOwn() throws Exception {
    String path = "/blobs/1MiB/private-to-each";
    String target = path + "?delay=300&cc=private";

    List<Response> responses = concurrently(5, () -> download(target));

    assertThat(responses).allSatisfy(r -> {
      assertThat(r.sha256()).isEqualTo(ExpectedContent.sha256(path, 1 << 20));
      assertThat(r.header("Cache-Status")).doesNotContain("collapsed").doesNotContain("stored");
    });
    assertThat(env.origin().stats().requests(path)).isEqualTo(5);
  }
}
