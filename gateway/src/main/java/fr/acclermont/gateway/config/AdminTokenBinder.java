package fr.acclermont.gateway.config;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Binds {@code admin.token-file} and {@code admin.metrics-require-token}. The file is read here, so
 * that a missing, unreadable or empty file, or a token too short to resist guessing, stops start-up
 * naming the key rather than leaving the admin port open or locked. Stateless.
 */
final class AdminTokenBinder {

  private static final String TOKEN_FILE_FORM = "the path of a file holding the admin token, "
      + AdminToken.MIN_LENGTH + " to " + AdminToken.MAX_LENGTH + " visible ASCII characters such as"
      + " the output of openssl rand -hex 32, for example /etc/textbook-gateway/admin.token";

  private AdminTokenBinder() {}

  /** Reads {@code admin.token-file}; null when absent (no token: every endpoint is open). */
  static @Nullable AdminToken token(ConfigReader tokenFile) {
    if (!tokenFile.isPresent()) {
      return null;
    }
    Path file = Path.of(tokenFile.text(TOKEN_FILE_FORM, ConfigBinder::isPath));
    try {
      return AdminToken.read(file);
    } catch (IllegalArgumentException e) {
      // AdminToken's reasons never quote the token, only its length: safe to print.
      throw tokenFile.fail(tokenFile.describe() + " (expected " + TOKEN_FILE_FORM + "; "
          + e.getMessage() + ")");
    }
  }

  /**
   * Reads {@code admin.metrics-require-token}, default false; true without a token is refused:
   * the operator believes the metrics are protected, say they are not.
   */
  static boolean metricsRequireToken(ConfigReader key, @Nullable AdminToken token) {
    boolean required = key.isPresent() && key.bool();
    if (required && token == null) {
      throw key.fail("true (expected false without admin.token-file: there is no token to"
          + " require)");
    }
    return required;
  }
}
