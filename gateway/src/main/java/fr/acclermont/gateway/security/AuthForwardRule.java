package fr.acclermont.gateway.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import fr.acclermont.gateway.config.AuthForwardConfig;
import fr.acclermont.gateway.metrics.DenialReason;
import fr.acclermont.gateway.metrics.GatewayMetrics;
import fr.acclermont.gateway.origin.OriginClient;
import fr.acclermont.gateway.origin.OriginRoute;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A rule checked by asking an origin endpoint ({@code mode: auth-forward}, like nginx's
 * {@code auth_request}): {@code GET path} with the user's credential (the {@code Authorization}
 * field, or the {@code Cookie} field when a cookie identifies users) and the request's target in
 * {@code X-Original-URI}. A 2xx is yes, 401 or 403 is no, anything else (or no answer within the
 * timeout) is no answer.
 *
 * <p>Each answer is kept per (digest of the credential, book): the user is not asked about again
 * for {@code cache-for}, and a whole class opening a book costs one question per pupil, not one per
 * page (questions for the same user and book in flight at once are one question). While the
 * endpoint gives no answer, a yes younger than {@code offline-window} still admits the user (a class
 * goes on reading offline); a no, or a user never seen, is refused. Only digests are kept: a memory
 * dump shows no session. Thread-safe.
 */
final class AuthForwardRule implements EntitlementRule {

  /** Answers kept at most: a school's pupils times the books each opens, with room to spare. */
  private static final long MAX_ANSWERS = 200_000;

  /** Who asks about what: the SHA-256 of the credential, and the book. */
  private record Question(Key key, String scope) {}

  /** A credential digest with value equality. */
  private record Key(byte[] digest) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Key k && Arrays.equals(k.digest, digest);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
      return "Key[sha256]";
    }
  }

  /** An answer and when it was given. */
  private record Answer(boolean yes, long atMillis) {}

  private final AuthForwardConfig config;
  private final OriginRoute route;
  private final OriginClient client;
  private final GatewayMetrics metrics;
  private final Clock clock;
  private final Cache<Question, Answer> answers;
  /** Questions sent and not answered yet, with everyone waiting for each. */
  private final Map<Question, List<Waiter>> asking = new ConcurrentHashMap<>();

  private record Waiter(EventLoop loop, Consumer<@Nullable DenialReason> decided) {}

  AuthForwardRule(AuthForwardConfig config, OriginRoute route, OriginClient client, GatewayMetrics metrics,
      Clock clock) {
    this.config = config;
    this.route = route;
    this.client = client;
    this.metrics = metrics;
    this.clock = clock;
    Duration keep = config.cacheFor().compareTo(config.offlineWindow()) > 0 ? config.cacheFor() : config.offlineWindow();
    this.answers = Caffeine.newBuilder()
        .maximumSize(MAX_ANSWERS)
        .expireAfterWrite(keep.isZero() ? Duration.ofMillis(1) : keep)
        .build();
  }

  @Override
  public String cacheTarget(String pathAndQuery) {
    return pathAndQuery;
  }

  @Override
  public void check(HttpHeaders headers, String pathAndQuery, String scope, EventLoop loop,
      Consumer<@Nullable DenialReason> decided) {
    String credential = credential(headers);
    if (credential == null) {
      decided.accept(DenialReason.MISSING);
      return;
    }
    Question question = new Question(new Key(sha256(credential)), scope);
    Answer answer = fresh(question);
    if (answer != null) {
      decided.accept(answer.yes() ? null : DenialReason.REFUSED);
      return;
    }
    List<Waiter> created = new ArrayList<>(2);
    List<Waiter> waiters = asking.compute(question, (q, present) -> {
      List<Waiter> list = present != null ? present : created;
      list.add(new Waiter(loop, decided));
      return list;
    });
    if (waiters != created) {
      return; // a question in flight answers this one too
    }
    // The question before this one may have been answered between the look-up above and the
    // compute: its answer is used rather than asking again.
    Answer late = fresh(question);
    if (late != null) {
      tell(question, late.yes() ? null : DenialReason.REFUSED);
      return;
    }
    ask(question, headers, pathAndQuery, loop);
  }

  /** The answer kept for {@code question} if it is younger than {@code cache-for}, else null. */
  private @Nullable Answer fresh(Question question) {
    Answer answer = answers.getIfPresent(question);
    return answer != null && clock.millis() - answer.atMillis() < config.cacheFor().toMillis() ? answer : null;
  }

  /** The credential named by the configuration, or null when the request has none. */
  private @Nullable String credential(HttpHeaders headers) {
    if (config.cookie() == null) {
      String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
      return authorization == null || authorization.isBlank() ? null : authorization;
    }
    for (String field : headers.getAll(HttpHeaderNames.COOKIE)) {
      for (Cookie cookie : ServerCookieDecoder.LAX.decodeAll(field)) {
        if (cookie.name().equals(config.cookie()) && !cookie.value().isEmpty()) {
          return cookie.value();
        }
      }
    }
    return null;
  }

  private void ask(Question question, HttpHeaders headers, String pathAndQuery, EventLoop loop) {
    HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
        route.targetFor(config.path()));
    request.headers()
        .set(HttpHeaderNames.HOST, route.authority())
        .set("X-Original-URI", pathAndQuery)
        .set("X-Original-Method", "GET");
    if (config.cookie() == null) {
      request.headers().set(HttpHeaderNames.AUTHORIZATION, headers.get(HttpHeaderNames.AUTHORIZATION));
    } else {
      request.headers().set(HttpHeaderNames.COOKIE, headers.getAll(HttpHeaderNames.COOKIE));
    }
    EntitlementQuestion.send(client, route, loop, request, config.timeout(),
        status -> answered(question, status));
  }

  /**
   * The endpoint's status, or 0 for no answer: records and hands out the decision. Runs on the
   * loop that asked; each waiter is told on its own loop.
   */
  private void answered(Question question, int status) {
    long now = clock.millis();
    @Nullable DenialReason denial;
    if (status >= 200 && status < 300) {
      metrics.entitlementCheck("yes");
      answers.put(question, new Answer(true, now));
      denial = null;
    } else if (status == 401 || status == 403) {
      metrics.entitlementCheck("no");
      answers.put(question, new Answer(false, now));
      denial = DenialReason.REFUSED;
    } else {
      metrics.entitlementCheck("error");
      Answer earlier = answers.getIfPresent(question);
      boolean stillYes = earlier != null && earlier.yes()
          && now - earlier.atMillis() < config.offlineWindow().toMillis();
      denial = stillYes ? null : DenialReason.UNAVAILABLE;
    }
    tell(question, denial);
  }

  /** Hands {@code denial} (null: yes) to everyone waiting on {@code question}, each on its own loop. */
  private void tell(Question question, @Nullable DenialReason denial) {
    List<Waiter> waiters = asking.remove(question);
    if (waiters == null) {
      return;
    }
    for (Waiter waiter : waiters) {
      if (waiter.loop().inEventLoop()) {
        waiter.decided().accept(denial);
      } else {
        waiter.loop().execute(() -> waiter.decided().accept(denial));
      }
    }
  }

  private static byte[] sha256(String credential) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(credential.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
