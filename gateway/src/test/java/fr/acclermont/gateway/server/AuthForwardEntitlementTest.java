package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.Gateway;
import fr.acclermont.gateway.testing.Classroom;
import fr.acclermont.gateway.testing.MutableClock;
import fr.acclermont.gateway.testing.ScriptedOrigin;
import fr.acclermont.gateway.testing.ScriptedOrigin.Answer;
import fr.acclermont.gateway.testing.ScriptedOrigin.Received;
import fr.acclermont.gateway.testing.TestGateways;
import fr.acclermont.gateway.testing.TestHttpClient;
import fr.acclermont.gateway.testing.TestHttpClient.Response;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Auth-forward in front of a scripted cloud: the gateway asks the cloud's entitlement endpoint
 * with the pupil's session cookie, keeps each answer per pupil and book for cache-for, serves the
 * one shared copy on yes, refuses on no, and while the cloud is unreachable admits only pupils
 * with an earlier yes still within the offline window.
 */
class AuthForwardEntitlementTest {

  private static final String CHECK = "/auth/check";
  private static final String BOOK = "/books/licensed/maths-6e/";
  private static final Set<String> ENTITLED = Set.of("alice", "bob");

  private final MutableClock clock = new MutableClock();
  private ScriptedOrigin origin;
  private Gateway gateway;

  @BeforeEach
  void start() throws Exception {
    origin = ScriptedOrigin.start(0, clock);
    script(origin);
    gateway = TestGateways.start(origin.baseUri(), """
        entitlement:
          rules:
            - paths: ["/books/licensed/"]
              mode: auth-forward
              auth-forward: { origin: cloud, path: %s, cookie: SESSION, cache-for: 60s, offline-window: 1d, timeout: 2s }
        """.formatted(CHECK), clock);
  }

  /** The cloud: pages of the licensed book, shareable for 10 minutes, and its entitlement endpoint. */
  private static void script(ScriptedOrigin origin) {
    for (int page = 1; page <= 30; page++) {
      origin.answer(BOOK + "page-" + page + ".pdf",
          new Answer(200, "page " + page + " of the licensed book", "Cache-Control", "public, max-age=600",
              "Content-Type", "application/pdf"));
    }
    origin.answer(BOOK + "notes-private.json", new Answer(200, "my notes", "Cache-Control", "private, max-age=600"));
    origin.answer(BOOK + "session.json",
        new Answer(200, "session state", "Cache-Control", "max-age=600", "Set-Cookie", "SESSION=renewed"));
    origin.answer(CHECK, (Received request) -> {
      String cookie = request.header("Cookie");
      String session = cookie == null ? null : cookie.replaceAll(".*SESSION=([a-z]+).*", "$1");
      return session != null && ENTITLED.contains(session) ? new Answer(204, "") : new Answer(403, "no licence");
    });
  }

  @AfterEach
  void stop() {
    gateway.close();
    if (origin != null) {
      origin.close();
    }
  }

  /** The cloud goes away: its port refuses connections from now on. */
  private void cloudUnreachable() {
    origin.close();
    origin = null;
  }

  private Response get(String target, String session) throws Exception {
    try (TestHttpClient client = TestHttpClient.connect(gateway.port())) {
      return session == null ? client.get(target).read()
          : client.get(target, "Cookie: theme=dark; SESSION=" + session).read();
    }
  }

  private int questions() {
    return origin == null ? -1 : origin.received(CHECK).size();
  }

  private double denied(String reason) {
    return gateway.metrics().registry().get("gateway.entitlement.denied").tag("reason", reason).counter().count();
  }

  @Test
  void yes_servedWithTheOriginsBytes_questionCarriesTheCookieAndTheTarget() throws Exception {
    Response response = get(BOOK + "page-1.pdf", "alice");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.text()).isEqualTo("page 1 of the licensed book");
    assertThat(questions()).isEqualTo(1);
    Received question = origin.received(CHECK).get(0);
    assertThat(question.header("Cookie")).contains("SESSION=alice");
    assertThat(question.header("X-Original-URI")).isEqualTo(BOOK + "page-1.pdf");
  }

  @Test
  void no_403Refused_pageNeverFetched() throws Exception {
    double before = denied("refused");
    Response response = get(BOOK + "page-2.pdf", "mallory");

    assertThat(response.status()).isEqualTo(403);
    assertThat(response.text()).contains("not entitled (refused)");
    assertThat(denied("refused") - before).isEqualTo(1);
    assertThat(origin.received(BOOK + "page-2.pdf")).isEmpty();
  }

  @Test
  void noCredential_403Missing_nobodyAsked() throws Exception {
    assertThat(get(BOOK + "page-3.pdf", null).status()).isEqualTo(403);
    assertThat(denied("missing")).isEqualTo(1);
    assertThat(questions()).isZero();
  }

  @Test
  void cachedYes_otherPagesOfTheBook_notAskedAgainUntilCacheForPasses() throws Exception {
    assertThat(get(BOOK + "page-1.pdf", "alice").status()).isEqualTo(200);
    assertThat(get(BOOK + "page-2.pdf", "alice").status()).isEqualTo(200);
    assertThat(get(BOOK + "page-3.pdf", "alice").status()).isEqualTo(200);
    assertThat(questions()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(61));
    assertThat(get(BOOK + "page-1.pdf", "alice").status()).isEqualTo(200);
    assertThat(questions()).isEqualTo(2);
  }

  @Test
  void cachedNo_refusedWithoutAskingAgain() throws Exception {
    assertThat(get(BOOK + "page-1.pdf", "mallory").status()).isEqualTo(403);
    assertThat(get(BOOK + "page-2.pdf", "mallory").status()).isEqualTo(403);
    assertThat(questions()).isEqualTo(1);
  }

  @Test
  void twoUsers_oneStoredCopy_oneFetch_eachAskedOnce() throws Exception {
    Response alice = get(BOOK + "page-4.pdf", "alice");
    Response bob = get(BOOK + "page-4.pdf", "bob");

    assertThat(alice.header("Cache-Status")).contains("stored");
    assertThat(bob.header("Cache-Status")).startsWith("edge; hit");
    assertThat(bob.body()).isEqualTo(alice.body());
    assertThat(origin.received(BOOK + "page-4.pdf")).hasSize(1);
    assertThat(questions()).isEqualTo(2);
  }

  @Test
  void privateOrSetCookieResponses_underARule_neverShared() throws Exception {
    for (String path : List.of(BOOK + "notes-private.json", BOOK + "session.json")) {
      Response alice = get(path, "alice");
      Response bob = get(path, "bob");

      assertThat(alice.status()).isEqualTo(200);
      assertThat(bob.status()).isEqualTo(200);
      assertThat(bob.header("Cache-Status")).as(path).doesNotStartWith("edge; hit");
      // Bob's copy came from the origin, asked with his own session: never Alice's copy.
      assertThat(origin.received(path)).as(path).anySatisfy(r -> assertThat(r.header("Cookie")).contains("SESSION=bob"));
      assertThat(bob.text()).isEqualTo(alice.text());
    }
  }

  @Test
  void onePupilOpeningABook_manyPagesAtOnce_oneQuestion() throws Exception {
    List<Response> pages;
    try (Classroom classroom = new Classroom(20, Duration.ofSeconds(30))) {
      pages = classroom.together(gateway.port(), 20,
          (id, client) -> client.get(BOOK + "page-" + (id + 1) + ".pdf", "Cookie: SESSION=bob").read());
    }

    assertThat(pages).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    assertThat(questions()).isEqualTo(1);
  }

  @Test
  void originDown_earlierYesWithinOfflineWindow_served_othersRefused() throws Exception {
    assertThat(get(BOOK + "page-5.pdf", "alice").status()).isEqualTo(200);
    assertThat(get(BOOK + "page-5.pdf", "mallory").status()).isEqualTo(403);
    cloudUnreachable();
    clock.advance(Duration.ofMinutes(5)); // past cache-for: each pupil must be asked about again

    Response alice = get(BOOK + "page-5.pdf", "alice");
    Response bob = get(BOOK + "page-5.pdf", "bob");
    Response mallory = get(BOOK + "page-5.pdf", "mallory");

    assertThat(alice.status()).isEqualTo(200);
    assertThat(alice.text()).isEqualTo("page 5 of the licensed book");
    assertThat(bob.status()).as("never answered yes: unknown while offline").isEqualTo(403);
    assertThat(bob.text()).contains("(unavailable)");
    assertThat(mallory.status()).isEqualTo(403);
    assertThat(gateway.metrics().registry().get("gateway.entitlement.checks").tag("answer", "error").counter().count())
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  void originDown_yesOlderThanTheOfflineWindow_refused() throws Exception {
    assertThat(get(BOOK + "page-6.pdf", "alice").status()).isEqualTo(200);
    cloudUnreachable();
    clock.advance(Duration.ofDays(1).plusMinutes(1));

    Response late = get(BOOK + "page-6.pdf", "alice");

    assertThat(late.status()).isEqualTo(403);
    assertThat(late.text()).contains("(unavailable)");
  }
}
