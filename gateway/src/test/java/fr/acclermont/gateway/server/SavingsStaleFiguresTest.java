package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.acclermont.gateway.metrics.ByteSource;
import fr.acclermont.gateway.metrics.CacheOutcome;
import fr.acclermont.gateway.metrics.StaleReason;
import fr.acclermont.gateway.testing.Classroom;
import fr.acclermont.gateway.testing.ScriptedOrigin;
import fr.acclermont.gateway.testing.ScriptedOrigin.Answer;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Savings that are true (#18 point 4), against a scripted origin dated with the test's clock: known
 * traffic in, exact counts out. Stale copies served from memory (stale-while-revalidate, stand-ins
 * for an origin in error, out of reach or known down) count as {@code source="memory"}, never as
 * origin bytes; a class collapsed on one probe (a miss, a revalidation, an error answer) counts one
 * request of the probe's kind and 34 {@code collapsed}, and the probe's bytes as {@code origin}
 * once. The origin ignores {@code Range}: each object is stored whole from the probe's answer.
 */
class SavingsStaleFiguresTest extends HttpCachingFixture {

  private static final int CLASS = 35;
  /** A manifest of 10,000 bytes. */
  private static final String BODY = "m".repeat(10_000);
  private static final String MAINTENANCE = "down for maintenance, back at 9:00";

  private ServedFigures figures() {
    return ServedFigures.of(gateway);
  }

  private ServedFigures after(ServedFigures before, int requests) {
    return ServedFigures.after(gateway, before, requests);
  }

  private double coalesced() {
    return gateway.metrics().registry().get("gateway.coalesced.requests").counter().count();
  }

  /** The class asks at once; the origin holds its answer until all 34 others joined ({@link #held}). */
  private List<Response> classOpens(AtomicBoolean hold) throws Exception {
    hold.set(true);
    try (Classroom classroom = new Classroom(CLASS, Duration.ofSeconds(30))) {
      return classroom.together(gateway.port(), CLASS, (id, client) -> client.get(PATH).read());
    }
  }

  /** Answers {@code answer}, after every other student joined the probe while {@code hold} is set. */
  private ScriptedOrigin.Answer held(AtomicBoolean hold, double[] coalescedBefore, Answer answer) {
    if (hold.get()) {
      await().atMost(Duration.ofSeconds(20)).until(() -> coalesced() - coalescedBefore[0] >= CLASS - 1);
    }
    return answer;
  }

  // ---- a class collapsed on one probe ----

  @Test
  void classOfThirtyFive_coldManifest_oneMissThirtyFourCollapsed_probeBytesOnceAsOrigin() throws Exception {
    startGateway("");
    AtomicBoolean hold = new AtomicBoolean();
    double[] coalescedBefore = {coalesced()};
    origin.answer(PATH, r -> held(hold, coalescedBefore, manifest(BODY, "\"e1\"", "max-age=60")));
    ServedFigures before = figures();

    List<Response> responses = classOpens(hold);
    ServedFigures after = after(before, CLASS);

    assertThat(responses).allSatisfy(r -> assertThat(r.text()).isEqualTo(BODY));
    assertThat(origin.received(PATH)).hasSize(1);
    assertThat(after.requests(CacheOutcome.MISS, before)).isEqualTo(1);
    assertThat(after.requests(CacheOutcome.COLLAPSED, before)).isEqualTo(CLASS - 1);
    assertThat(after.allRequests(before)).isEqualTo(CLASS);
    assertThat(after.originBytes(before)).isEqualTo(BODY.length());
    assertThat(after.served(ByteSource.ORIGIN, before)).isEqualTo(BODY.length());
    assertThat(after.served(ByteSource.COLLAPSED, before) + after.served(ByteSource.MEMORY, before))
        .isEqualTo((CLASS - 1) * BODY.length());
    assertThat(after.allServed(before)).isEqualTo(CLASS * BODY.length());
  }

  @Test
  void classOfThirtyFive_staleManifestConfirmedBy304_oneRevalidatedThirtyFourCollapsed_allBytesFromMemory()
      throws Exception {
    startGateway("");
    AtomicBoolean hold = new AtomicBoolean();
    double[] coalescedBefore = {0};
    origin.answer(PATH, r -> held(hold, coalescedBefore, manifest(BODY, "\"e1\"", "max-age=60")));
    ServedFigures start = figures();
    get(PATH);
    clock.advance(Duration.ofSeconds(61));
    ServedFigures before = after(start, 1);
    coalescedBefore[0] = coalesced();

    List<Response> responses = classOpens(hold);
    ServedFigures after = after(before, CLASS);

    assertThat(responses).allSatisfy(r -> assertThat(r.text()).isEqualTo(BODY));
    assertThat(responses).filteredOn(r -> r.header("Cache-Status").equals(REVALIDATED)).hasSize(1);
    assertThat(origin.received(PATH)).hasSize(2);
    assertThat(after.requests(CacheOutcome.REVALIDATED, before)).isEqualTo(1);
    assertThat(after.requests(CacheOutcome.COLLAPSED, before)).isEqualTo(CLASS - 1);
    assertThat(after.allRequests(before)).isEqualTo(CLASS);
    assertThat(after.originBytes(before)).isZero();
    assertThat(after.served(ByteSource.MEMORY, before)).isEqualTo(CLASS * BODY.length());
    assertThat(after.allServed(before)).isEqualTo(CLASS * BODY.length());
  }

  @Test
  void classOfThirtyFive_originAnswers503_oneMissThirtyFourCollapsed_errorBodyOnceAsOrigin() throws Exception {
    startGateway("");
    AtomicBoolean hold = new AtomicBoolean();
    double[] coalescedBefore = {coalesced()};
    origin.answer(PATH, r -> held(hold, coalescedBefore, new Answer(503, MAINTENANCE)));
    ServedFigures before = figures();

    List<Response> responses = classOpens(hold);
    ServedFigures after = after(before, CLASS);

    assertThat(responses).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.text()).isEqualTo(MAINTENANCE);
    });
    assertThat(origin.received(PATH)).hasSize(1);
    assertThat(after.requests(CacheOutcome.MISS, before)).isEqualTo(1);
    assertThat(after.requests(CacheOutcome.COLLAPSED, before)).isEqualTo(CLASS - 1);
    assertThat(after.originBytes(before)).isEqualTo(MAINTENANCE.length());
    assertThat(after.served(ByteSource.ORIGIN, before)).isEqualTo(MAINTENANCE.length());
    assertThat(after.served(ByteSource.COLLAPSED, before)).isEqualTo((CLASS - 1) * MAINTENANCE.length());
    assertThat(after.allServed(before)).isEqualTo(CLASS * MAINTENANCE.length());
  }

  // ---- stale copies served from memory ----

  @Test
  void staleWhileRevalidate_hitFromMemory_countedAsMemoryBytes() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest(BODY, "\"e1\"", "max-age=60, stale-while-revalidate=600"));
    ServedFigures start = figures();
    get(PATH);
    clock.advance(Duration.ofSeconds(61));
    ServedFigures before = after(start, 1);

    Response stale = get(PATH);
    await().atMost(Duration.ofSeconds(10)).until(() -> origin.received(PATH).size() == 2); // the background 304
    ServedFigures after = after(before, 1);

    assertThat(stale.header("Cache-Status")).isEqualTo("edge; hit; ttl=-1; detail=stale-while-revalidate");
    assertThat(after.requests(CacheOutcome.HIT, before)).isEqualTo(1);
    assertThat(after.allRequests(before)).isEqualTo(1);
    assertThat(after.served(ByteSource.MEMORY, before)).isEqualTo(BODY.length());
    assertThat(after.allServed(before)).isEqualTo(BODY.length());
    assertThat(after.originBytes(before)).isZero();
  }

  @Test
  void originError_staleCopyStandsIn_countedAsMemoryBytes_theErrorBodyCrossedTheUplinkOnly() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest(BODY, "\"e1\"", "max-age=60"));
    ServedFigures start = figures();
    get(PATH);
    origin.answer(PATH, new Answer(503, MAINTENANCE));
    clock.advance(Duration.ofSeconds(61));
    ServedFigures before = after(start, 1);

    Response stale = get(PATH);
    ServedFigures after = after(before, 1);

    assertThat(stale.header("Cache-Status")).isEqualTo("edge; fwd=stale; fwd-status=503; ttl=-1; detail=origin-error");
    assertThat(after.requests(CacheOutcome.STALE, before)).isEqualTo(1);
    assertThat(after.stale(StaleReason.ORIGIN_ERROR, before)).isEqualTo(1);
    assertThat(after.served(ByteSource.MEMORY, before)).isEqualTo(BODY.length());
    assertThat(after.allServed(before)).isEqualTo(BODY.length());
    // The uplink carried the 503's body, which no client received.
    assertThat(after.originBytes(before)).isEqualTo(MAINTENANCE.length());
  }

  @Test
  void originOffline_staleCopiesStandIn_countedAsMemoryBytes() throws Exception {
    startGateway("");
    origin.answer(PATH, manifest(BODY, "\"e1\"", "max-age=60"));
    ServedFigures start = figures();
    get(PATH);
    origin.close();
    clock.advance(Duration.ofSeconds(61));
    ServedFigures before = after(start, 1);

    Response unreachable;
    Response offline;
    ServedFigures between;
    ServedFigures after;
    try {
      unreachable = get(PATH); // the origin refuses: the stale copy stands in, and it is found down
      between = after(before, 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> !gateway.router().routes().get(0).origin().health().up());
      offline = get(PATH); // known down: served at once, without asking it
      after = after(between, 1);
    } finally {
      origin = ScriptedOrigin.start(0, clock); // the one closed above is not closed twice
    }

    assertThat(unreachable.header("Cache-Status")).isEqualTo("edge; fwd=stale; ttl=-1; detail=origin-unreachable");
    assertThat(between.requests(CacheOutcome.STALE, before)).isEqualTo(1);
    assertThat(between.stale(StaleReason.ORIGIN_UNREACHABLE, before)).isEqualTo(1);
    assertThat(between.served(ByteSource.MEMORY, before)).isEqualTo(BODY.length());
    assertThat(between.allServed(before)).isEqualTo(BODY.length());
    assertThat(offline.header("Cache-Status")).isEqualTo("edge; fwd=stale; ttl=-1; detail=offline");
    assertThat(after.requests(CacheOutcome.STALE, between)).isEqualTo(1);
    assertThat(after.stale(StaleReason.OFFLINE, between)).isEqualTo(1);
    assertThat(after.served(ByteSource.MEMORY, between)).isEqualTo(BODY.length());
    assertThat(after.allServed(between)).isEqualTo(BODY.length());
    assertThat(after.originBytes(before)).isZero();
  }
}
