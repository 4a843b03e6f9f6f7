package fr.acclermont.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The admin token: a comparison, never a string to print. */
class AdminTokenTest {

  private static final String SECRET = "s3cr3t-0123456789-abcdef";

  @Test
  void toString_masksTheSecret() {
    AdminToken token = AdminToken.of(SECRET);

    assertThat(token.toString()).isEqualTo("AdminToken[***]");
    assertThat(new AdminConfig("127.0.0.1", 9090, token, true).toString())
        .doesNotContain(SECRET)
        .isEqualTo("AdminConfig[host=127.0.0.1, port=9090, token=AdminToken[***], metricsRequireToken=true]");
  }

  @Test
  void matches_theSecretOnly() {
    AdminToken token = AdminToken.of(SECRET);

    assertThat(token.matches(SECRET)).isTrue();
    assertThat(token.matches(SECRET.toUpperCase())).isFalse();
    assertThat(token.matches(SECRET.substring(1))).isFalse();
    assertThat(token.matches(SECRET + "x")).isFalse();
    assertThat(token.matches("")).isFalse();
    assertThat(token.matches(null)).isFalse();
  }

  @Test
  void equals_sameSecret() {
    assertThat(AdminToken.of(SECRET)).isEqualTo(AdminToken.of(" " + SECRET + "\n"))
        .hasSameHashCodeAs(AdminToken.of(SECRET))
        .isNotEqualTo(AdminToken.of(SECRET + "x"));
  }

  @Test
  void of_tooShortOrTooLong_refusedWithoutShowingIt() {
    assertThatThrownBy(() -> AdminToken.of("0123456789abcde"))
        .hasMessage("the token is 15 characters long");
    assertThatThrownBy(() -> AdminToken.of("x".repeat(AdminToken.MAX_LENGTH + 1)))
        .hasMessage("the token is 1025 characters long");
  }

  @Test
  void adminConfig_metricsRequireTokenWithoutToken_refused() {
    assertThatThrownBy(() -> new AdminConfig("127.0.0.1", 9090, null, true))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
