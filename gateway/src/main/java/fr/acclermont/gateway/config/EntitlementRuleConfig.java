package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One entitlement rule: which requests it guards (path prefixes, or every path of one origin) and
 * how each is checked. Immutable.
 *
 * @param paths the path prefixes guarded; empty when {@code origin} is set
 * @param origin the name of the origin whose every path is guarded, or null when {@code paths} is set
 * @param mode how requests are checked
 * @param keys signed-url: the one or two active keys (rotation); empty for auth-forward
 * @param clockSkew signed-url: how long past its expiry a link is still accepted (clocks differ)
 * @param authForward auth-forward: how the endpoint is asked; null for signed-url
 */
public record EntitlementRuleConfig(List<String> paths, @Nullable String origin, Mode mode,
    List<SigningKeyConfig> keys, Duration clockSkew, @Nullable AuthForwardConfig authForward) {

  /** How a rule checks a request. */
  public enum Mode {
    /** The link carries an expiry and an HMAC-SHA256 signature the gateway verifies itself. */
    SIGNED_URL("signed-url"),
    /** The gateway asks an origin endpoint, like nginx's {@code auth_request}. */
    AUTH_FORWARD("auth-forward");

    private final String word;

    Mode(String word) {
      this.word = word;
    }

    /** The word written in the configuration. */
    public String word() {
      return word;
    }
  }

  /** Default {@link #clockSkew}. */
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);

  /** Copies the lists. */
  public EntitlementRuleConfig {
    paths = List.copyOf(requireNonNull(paths, "paths"));
    requireNonNull(mode, "mode");
    keys = List.copyOf(requireNonNull(keys, "keys"));
    requireNonNull(clockSkew, "clockSkew");
  }
}
