package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.metrics.ByteSource;
import fr.acclermont.gateway.metrics.CacheOutcome;
import fr.acclermont.gateway.testing.Classroom;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.GatewayExtension;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Savings that are true (#18 point 4): a class opening one object, known traffic in, exact counts
 * out. Requests served by joining another client's fetch count {@code cache="collapsed"}, not as
 * misses; each byte the uplink carried counts {@code source="origin"} once, for the client it was
 * fetched for, so that {@code source="origin"} equals {@code gateway_origin_bytes_total} and the
 * byte hit ratio agrees with the uplink. (Stale copies and shared errors: {@link SavingsStaleFiguresTest}.)
 */
class SavingsFiguresTest {

  private static final int CLASS = 35;

  @RegisterExtension
  static final GatewayExtension env = new GatewayExtension();

  private static List<Response> classOpens(String target) throws Exception {
    try (Classroom classroom = new Classroom(CLASS, Duration.ofSeconds(60))) {
      return classroom.together(env.gateway().port(), CLASS, (id, client) -> client.get(target).readDigestOnly());
    }
  }

  @Test
  void classOfThirtyFive_coldObjectOfFourSlices_oneMissThirtyFourCollapsed_uplinkBytesCountedOnceAsOrigin()
      throws Exception {
    String path = "/blobs/4MiB/savings-cold-class";
    long size = 4 << 20;
    ServedFigures before = ServedFigures.of(env.gateway());
    long originBefore = env.origin().stats().bytes(path);

    // Every student asks while the origin prepares the probe's answer: all but one join it.
    List<Response> responses = classOpens(path + "?delay=300");
    ServedFigures after = ServedFigures.after(env.gateway(), before, CLASS);

    assertThat(responses).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.sha256()).isEqualTo(ExpectedContent.sha256(path, size));
    });
    assertThat(responses).filteredOn(r -> r.header("Cache-Status").endsWith("collapsed")).hasSize(CLASS - 1);
    // Requests: one miss (the probe's leader), 34 collapsed, nothing else.
    assertThat(after.requests(CacheOutcome.MISS, before)).isEqualTo(1);
    assertThat(after.requests(CacheOutcome.COLLAPSED, before)).isEqualTo(CLASS - 1);
    assertThat(after.allRequests(before)).isEqualTo(CLASS);
    // Bytes: the object crossed the uplink once, and counts as origin once, whichever client's
    // fetch brought each slice; the other 34 copies are savings (collapsed, or memory when present).
    assertThat(env.origin().stats().bytes(path) - originBefore).isEqualTo(size);
    assertThat(after.originBytes(before)).isEqualTo(size);
    assertThat(after.served(ByteSource.ORIGIN, before)).isEqualTo(size);
    assertThat(after.allServed(before)).isEqualTo(CLASS * size);
    assertThat(after.served(ByteSource.COLLAPSED, before) + after.served(ByteSource.MEMORY, before))
        .isEqualTo((CLASS - 1) * size);
    assertThat(after.served(ByteSource.COLLAPSED, before)).isPositive();
    assertThat(after.served(ByteSource.DISK, before)).isZero();
    // What the uplink saved: served minus fetched, 34 copies.
    assertThat(after.allServed(before) - after.originBytes(before)).isEqualTo((CLASS - 1) * size);
  }

  @Test
  void classOfThirtyFive_objectStoredBefore_thirtyFiveHitsFromMemory_nothingFromTheOrigin() throws Exception {
    String path = "/blobs/2MiB/savings-warm-class";
    long size = 2 << 20;
    ServedFigures first = ServedFigures.of(env.gateway());
    try (TestHttpClient client = TestHttpClient.connect(env.gateway().port())) {
      assertThat(client.get(path).readDigestOnly().sha256()).isEqualTo(ExpectedContent.sha256(path, size));
    }
    ServedFigures before = ServedFigures.after(env.gateway(), first, 1);
    assertThat(before.requests(CacheOutcome.MISS, first)).isEqualTo(1);
    assertThat(before.served(ByteSource.ORIGIN, first)).isEqualTo(size);
    assertThat(before.originBytes(first)).isEqualTo(size);

    List<Response> responses = classOpens(path);
    ServedFigures after = ServedFigures.after(env.gateway(), before, CLASS);

    assertThat(responses).allSatisfy(r -> assertThat(r.header("Cache-Status")).startsWith("edge; hit"));
    assertThat(after.requests(CacheOutcome.HIT, before)).isEqualTo(CLASS);
    assertThat(after.allRequests(before)).isEqualTo(CLASS);
    assertThat(after.served(ByteSource.MEMORY, before)).isEqualTo(CLASS * size);
    assertThat(after.allServed(before)).isEqualTo(CLASS * size);
    assertThat(after.originBytes(before)).isZero();
  }
}
