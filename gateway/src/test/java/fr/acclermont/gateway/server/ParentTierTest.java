package fr.acclermont.gateway.server;

import static fr.acclermont.gateway.server.SlicedBodies.MIB;
import static fr.acclermont.gateway.server.SlicedBodies.assertWhole;
import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.demo.OriginStats;
import fr.acclermont.gateway.testing.ExpectedContent;
import fr.acclermont.gateway.testing.FreePorts;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two schools behind an académie tier ({@code origins[].parents}), on real sockets: an object
 * crosses the origin once for both, in the slices of the school's {@code Range}s, the académie
 * storing them too; {@code Cache-Status} chains the académie's entry before the school's on a
 * forwarded answer (RFC 9211 2) and carries the school's alone on a hit; a parent that refuses
 * connections is skipped for the origin, with no request lost; and {@code Via} still detects a
 * loop that goes through a parent.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ParentTierTest {

  private static final Pattern SLICE_RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

  private static DemoOrigin origin;
  private static Gateway academie;
  private static Gateway schoolA;
  private static Gateway schoolB;
  private static final List<Gateway> others = new ArrayList<>();

  @BeforeAll
  static void start() {
    origin = DemoOrigin.start(DemoOriginOptions.builder().build());
    academie = TestGateways.start(origin.baseUri(), """
        school: academie
        server: { via: academie-tier }
        cache: { name: academie, slice-size: 1MiB, memory: { max-bytes: 512MiB } }
        """, Clock.systemUTC());
    schoolA = school("school-a", "http://127.0.0.1:" + academie.port());
    schoolB = school("school-b", "http://127.0.0.1:" + academie.port());
  }

  @AfterAll
  static void stop() {
    others.forEach(Gateway::close);
    schoolA.close();
    schoolB.close();
    academie.close();
    origin.close();
  }

  /** A school gateway whose {@code cloud} origin has {@code parents}; its cache and Via named {@code name}. */
  private static Gateway school(String name, String... parents) {
    return TestGateways.start(origin.baseUri(), schoolYaml(name, origin.baseUri(), parents), Clock.systemUTC());
  }

  private static String schoolYaml(String name, URI originUrl, String... parents) {
    return """
        school: %1$s
        server: { via: %1$s }
        cache: { name: %1$s, slice-size: 1MiB, memory: { max-bytes: 512MiB } }
        origins:
          - name: cloud
            url: %2$s
            parents: [%3$s]
            paths: ["/books/", "/blobs/", "/_origin/"]
            connect-timeout: 1s
            response-timeout: 5s
            idle-timeout: 5s
        """.formatted(name, originUrl, "\"" + String.join("\", \"", parents) + "\"");
  }

  @Test
  void twoSchools_objectCrossesTheOriginOnce_inTheSchoolsSlices_cacheStatusChained() throws IOException {
    String path = "/blobs/5MiB/parent-tier-two-schools";
    long length = 5 * MIB;
    String sha256 = ExpectedContent.sha256(path, length);
    OriginStats stats = origin.stats();

    Response first = get(schoolA, path);

    assertWhole(first, length, sha256);
    assertThat(first.header("Cache-Status")).as("the académie's entry first, then the school's (RFC 9211 2)")
        .startsWith("academie; fwd=miss")
        .endsWith(", school-a; fwd=miss; fwd-status=200; stored");
    assertThat(first.headers().get("via").toString()).contains("academie-tier").contains("school-a");
    long originRequests = stats.requests(path);
    assertThat(stats.bytesSentMoreThanOnce(path)).isZero();
    for (String range : stats.rangeHeaders(path)) {
      var m = SLICE_RANGE.matcher(range);
      assertThat(m.matches()).as(range).isTrue();
      assertThat(Long.parseLong(m.group(1)) % MIB).as("the school's slice Range, passed on unchanged: " + range).isZero();
    }

    Response second = get(schoolB, path);

    assertWhole(second, length, sha256);
    assertThat(stats.requests(path)).as("the second school is served by the académie tier").isEqualTo(originRequests);
    assertThat(second.header("Cache-Status")).startsWith("academie; hit")
        .endsWith(", school-b; fwd=miss; fwd-status=200; stored");

    Response again = get(schoolA, path);

    assertWhole(again, length, sha256);
    assertThat(again.header("Cache-Status")).as("a hit: no upstream cache handled it").startsWith("school-a; hit")
        .doesNotContain("academie");
    Response atTheTier = get(academie, path);
    assertWhole(atTheTier, length, sha256);
    assertThat(atTheTier.header("Cache-Status")).as("the académie stored the slices it fetched").startsWith("academie; hit");
    assertThat(stats.requests(path)).isEqualTo(originRequests);
  }

  @Test
  void parentRefusingConnections_skippedForTheOrigin_noRequestLost() throws IOException {
    Gateway school = school("school-c", "http://127.0.0.1:1");
    others.add(school);
    String path = "/blobs/3MiB/parent-down";

    Response response = get(school, path);

    assertWhole(response, 3 * MIB, ExpectedContent.sha256(path, 3 * MIB));
    assertThat(response.header("Cache-Status")).as("from the origin directly: no académie entry")
        .isEqualTo("school-c; fwd=miss; fwd-status=200; stored");
    assertThat(school.metrics().scrape()).contains("gateway_parent_up{origin=\"cloud\",parent=\"http://127.0.0.1:1\"} 0.0");
    try (TestHttpClient admin = TestHttpClient.connect(school.adminPort())) {
      String status = admin.get("/status.json").read().text();
      assertThat(status).as("the technician's page shows the tier down")
          .contains("\"parents\":[{\"url\":\"http://127.0.0.1:1\",\"up\":false,");
    }
    try (TestHttpClient admin = TestHttpClient.connect(school.adminPort())) {
      assertThat(admin.get("/").read().text()).contains("par le relais académique").contains("http://127.0.0.1:1");
    }

    String next = "/blobs/2MiB/parent-still-down";
    Response skipped = get(school, next);
    assertWhole(skipped, 2 * MIB, ExpectedContent.sha256(next, 2 * MIB));
  }

  @Test
  void parentAnsweringItHasNoAnswer_502_theOriginAskedInstead() throws IOException {
    // A tier gateway whose own origin is unreachable: every miss it gets, it answers 502.
    Gateway cutOff = TestGateways.start(URI.create("http://127.0.0.1:1"), """
        server: { via: academie-cut-off }
        cache: { name: academie-cut-off }
        """, Clock.systemUTC());
    others.add(cutOff);
    Gateway school = school("school-f", "http://127.0.0.1:" + cutOff.port());
    others.add(school);
    String path = "/blobs/2MiB/parent-without-answers";
    long before = origin.stats().requests(path);

    Response response = get(school, path);

    assertWhole(response, 2 * MIB, ExpectedContent.sha256(path, 2 * MIB));
    assertThat(response.header("Cache-Status")).as("the origin's answer, not the parent's 502")
        .isEqualTo("school-f; fwd=miss; fwd-status=200; stored");
    assertThat(origin.stats().requests(path) - before).as("each slice once, from the school").isEqualTo(2);
    assertThat(cutOff.metrics().scrape()).as("the parent was asked, and answered 502")
        .containsPattern("gateway_requests_seconds_count\\{[^}]*status=\"502\"[^}]*} [1-9]");
  }

  @Test
  void twoParents_eachObjectToOne_andItsObjectsToTheOtherWhenItStops() throws IOException {
    Gateway second = TestGateways.start(origin.baseUri(), """
        server: { via: academie-2 }
        cache: { name: academie-2, slice-size: 1MiB }
        """, Clock.systemUTC());
    Gateway school = school("school-d", "http://127.0.0.1:" + academie.port(), "http://127.0.0.1:" + second.port());
    others.add(school);
    List<String> onSecond = new ArrayList<>();
    int onFirst = 0;
    for (int i = 0; i < 16; i++) {
      String path = "/blobs/64KiB/spread-" + i;
      Response r = get(school, path);
      assertWhole(r, 64 * 1024, ExpectedContent.sha256(path, 64 * 1024));
      String status = r.header("Cache-Status");
      assertThat(status).matches("academie(-2)?; fwd=miss.*");
      if (status.startsWith("academie-2;")) {
        onSecond.add(path);
      } else {
        onFirst++;
      }
    }
    assertThat(onFirst).as("rendezvous hashing spreads the objects over both parents").isPositive();
    assertThat(onSecond).isNotEmpty();

    String secondsParent = "http://127.0.0.1:" + second.port();
    second.close();
    // Another school with the same parents: the same order for each object, the first parent gone.
    Gateway other = school("school-e", "http://127.0.0.1:" + academie.port(), secondsParent);
    others.add(other);
    Response r = get(other, onSecond.get(0));

    assertWhole(r, 64 * 1024, ExpectedContent.sha256(onSecond.get(0), 64 * 1024));
    assertThat(r.header("Cache-Status")).as("the stopped parent's object goes to the next parent")
        .startsWith("academie; fwd=miss");
  }

  @Test
  void loopThroughAParent_detectedByVia_508() throws IOException {
    int port = FreePorts.loopback();
    Gateway looping = TestGateways.start(origin.baseUri(),
        schoolYaml("school-loop", origin.baseUri(), "http://127.0.0.1:" + port)
            .replace("server: { via: school-loop }", "server: { port: " + port + ", via: school-loop }"),
        Clock.systemUTC());
    others.add(looping);
    String path = "/blobs/1MiB/loop";
    long before = origin.stats().requests(path);

    Response response = get(looping, path);

    assertThat(response.status()).as("the request came back to the gateway that sent it").isEqualTo(508);
    assertThat(origin.stats().requests(path)).isEqualTo(before);
  }

  private static Response get(Gateway gateway, String path) throws IOException {
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      return client.get(path).read();
    }
  }
}
