package fr.acclermont.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.config.EntitlementRuleConfig;
import fr.acclermont.gateway.config.OriginConfig;
import fr.acclermont.gateway.config.SigningKeyConfig;
import fr.acclermont.gateway.http.Transport;
import fr.acclermont.gateway.metrics.GatewayMetrics;
import fr.acclermont.gateway.origin.OriginClient;
import fr.acclermont.gateway.origin.OriginRoute;
import fr.acclermont.gateway.origin.OriginRouter;
import io.netty.buffer.ByteBufAllocator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which rule guards a request: no spelling of a licensed path escapes its rule. */
class EntitlementsGuardTest {

  private static final List<SigningKeyConfig> KEYS =
      List.of(new SigningKeyConfig("k", "a-secret-of-enough-bytes".getBytes(StandardCharsets.UTF_8)));

  private static final Entitlements RULES = entitlements(List.of(
      new EntitlementRuleConfig(List.of("/books/licensed/"), null, EntitlementRuleConfig.Mode.SIGNED_URL, KEYS,
          Duration.ZERO, null),
      new EntitlementRuleConfig(List.of(), "press", EntitlementRuleConfig.Mode.SIGNED_URL, KEYS, Duration.ZERO, null)));

  private static Entitlements entitlements(List<EntitlementRuleConfig> rules) {
    GatewayMetrics metrics = new GatewayMetrics("test", "test");
    OriginClient client = new OriginClient(Transport.NIO, ByteBufAllocator.DEFAULT, metrics);
    List<OriginRoute> routes = List.of(
        new OriginRoute(OriginConfig.withDefaults("cloud", URI.create("http://127.0.0.1:1")), client),
        new OriginRoute(OriginConfig.withDefaults("press", URI.create("http://127.0.0.1:2")), client));
    return Entitlements.of(rules, new OriginRouter(routes), client, metrics, Clock.systemUTC());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/books/licensed/maths/a.pdf", "/books/licensed/maths/a.pdf?page=2",
      "/books/%6Cicensed/maths/a.pdf", "/books//licensed/maths/a.pdf", "/books/./licensed/maths/a.pdf",
      "/books/free/../licensed/maths/a.pdf", "/Books/Licensed/maths/a.pdf", "/books\\licensed\\maths/a.pdf",
      "/books/licensed%2Fmaths/a.pdf", "/books/licensed/"})
  void everySpellingOfALicensedPath_isGuarded(String target) {
    Entitlements.Guard guard = RULES.guard("cloud", target);
    assertThat(guard).isNotNull();
    assertThat(guard.scope()).startsWith("/books/licensed/");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/books/free/a.pdf", "/books/licensedx/a.pdf", "/books/free/licensed/a.pdf", "/"})
  void otherPaths_notGuarded(String target) {
    assertThat(RULES.guard("cloud", target)).isNull();
  }

  @Test
  void scope_isThePrefixAndTheBook() {
    assertThat(RULES.guard("cloud", "/books/licensed/maths-6e/ch1/p3.pdf").scope()).isEqualTo("/books/licensed/maths-6e/");
    assertThat(RULES.guard("cloud", "/books/Licensed/MATHS-6e/x").scope()).isEqualTo("/books/licensed/maths-6e/");
  }

  @Test
  void originRule_guardsEveryPathOfThatOrigin() {
    assertThat(RULES.guard("press", "/press/any/thing.pdf")).isNotNull();
    assertThat(RULES.guard("press", "/press/any/thing.pdf").scope()).isEqualTo("/press/");
  }

  @Test
  void noRules_nothingGuarded() {
    assertThat(Entitlements.NONE.any()).isFalse();
    assertThat(Entitlements.NONE.guard("cloud", "/books/licensed/x")).isNull();
  }
}
