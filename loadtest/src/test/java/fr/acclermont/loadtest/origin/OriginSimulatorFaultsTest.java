package fr.acclermont.loadtest.origin;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.demo.Fault;
import fr.acclermont.gateway.demo.SyntheticContent;
import fr.acclermont.gateway.testing.TestHttpClient;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each fault flag, over real sockets: the fault it names, on content only, reproducible from the seed. */
class OriginSimulatorFaultsTest {

  private static final int BLOB_BYTES = 256 * 1024;
  private static final Duration STALL = Duration.ofMillis(800);

  private final List<OriginSimulator> origins = new ArrayList<>();

  @AfterEach
  void tearDown() {
    origins.forEach(OriginSimulator::close);
  }

  @Test
  void failRate_one_every503OnContent() throws Exception {
    OriginSimulator origin = start(OriginSettings.builder().failRate(1));
    String asset = origin.catalog().books().get(0).assets().get(0).path();

    assertThat(TimedFetch.get(origin.port(), "/blobs/1KiB/a").status()).isEqualTo(503);
    assertThat(TimedFetch.get(origin.port(), asset).status()).isEqualTo(503);
  }

  @Test
  void failRate_one_controlEndpointsNeverFaulted() throws Exception {
    OriginSimulator origin = start(OriginSettings.builder().failRate(1));

    assertThat(TimedFetch.get(origin.port(), "/_origin/catalog").status()).isEqualTo(200);
    assertThat(TimedFetch.get(origin.port(), "/_origin/stats").status()).isEqualTo(200);
  }

  @Test
  void resetRate_one_resetMidBody() throws Exception {
    OriginSimulator origin = start(OriginSettings.builder().resetRate(1));
    String path = "/blobs/256KiB/reset";

    TimedFetch.Response response = TimedFetch.get(origin.port(), path);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentLength()).isEqualTo(BLOB_BYTES);
    assertThat(response.complete()).isFalse();
    assertThat(response.reset()).isTrue();
    // Counted as it reached the socket: some of the body left, not all of it.
    assertThat(origin.stats().bytes(path)).isBetween(1L, BLOB_BYTES - 1L);
  }

  @Test
  void stallRate_one_aStallOfThatLengthMidBodyThenComplete() throws Exception {
    OriginSimulator origin = start(OriginSettings.builder().stallRate(1).stall(STALL));
    String path = "/blobs/256KiB/stall";

    TimedFetch.Response response = TimedFetch.get(origin.port(), path);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(SyntheticContent.bytes(path, 0, BLOB_BYTES, 1));
    // The fault the origin decides for content: a stall of that length, somewhere in the body. What a
    // stall does (that prefix, silence for that long, then the rest) is asserted on a frozen clock
    // by the gateway module's DemoOriginHooksTest.
    Fault fault = origin.originOptions().faultInjector()
        .decide(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path));
    assertThat(fault.kind()).isEqualTo(Fault.Kind.STALL);
    assertThat(fault.stall()).isEqualTo(STALL);
    assertThat(fault.bodyBytesBeforeCut(BLOB_BYTES)).isBetween(1L, BLOB_BYTES - 1L);
  }

  @Test
  void rates_zero_noFault() throws Exception {
    OriginSimulator origin = start(OriginSettings.builder());

    for (int i = 0; i < 20; i++) {
      String path = "/blobs/64KiB/calm-" + i;
      TimedFetch.Response response = TimedFetch.get(origin.port(), path);
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.complete()).as(path).isTrue();
    }
  }

  @Test
  void queryHook_underRandomFaults_hookWins() throws Exception {
    OriginSimulator origin = start(OriginSettings.builder().failRate(1));

    assertThat(TimedFetch.get(origin.port(), "/blobs/1KiB/h?status=404").status()).isEqualTo(404);
  }

  @Test
  void seed_sameForTwoOrigins_sameFaultSequence() throws Exception {
    List<Integer> first = statuses(start(halfFailing(7)));
    List<Integer> second = statuses(start(halfFailing(7)));
    List<Integer> otherSeed = statuses(start(halfFailing(8)));

    assertThat(first).isEqualTo(second).contains(200, 503);
    assertThat(otherSeed).isNotEqualTo(first);
  }

  private static OriginSettings.Builder halfFailing(long seed) {
    return OriginSettings.builder().seed(seed).failRate(0.5);
  }

  /** Sequential requests, so the n-th decision goes to the n-th request. */
  private static List<Integer> statuses(OriginSimulator origin) throws Exception {
    List<Integer> statuses = new ArrayList<>();
    try (TestHttpClient client = TestHttpClient.connect(origin.port())) {
      for (int i = 0; i < 30; i++) {
        statuses.add(client.get("/blobs/100/n" + i).read().status());
      }
    }
    return statuses;
  }

  private OriginSimulator start(OriginSettings.Builder settings) {
    OriginSimulator origin = OriginSimulator.start(settings.build());
    origins.add(origin);
    return origin;
  }
}
