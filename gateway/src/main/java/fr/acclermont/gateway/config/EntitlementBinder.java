package fr.acclermont.gateway.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Binds {@code entitlement.rules}: for each rule, what it guards ({@code paths} or {@code origin})
 * and how ({@code mode} and that mode's keys). Secret files are read here, so that a missing,
 * unreadable or short secret stops start-up naming its key; a key of the other mode is refused
 * rather than ignored (the operator believes it does something). Stateless.
 */
final class EntitlementBinder {

  /** The keys of {@code entitlement}. */
  static final List<String> KEYS = List.of("rules");
  /** The keys of one rule. */
  static final List<String> RULE_KEYS = List.of("paths", "origin", "mode", "keys", "clock-skew", "auth-forward");
  /** The keys of one signing key. */
  static final List<String> KEY_KEYS = List.of("id", "secret-file");
  /** The keys of {@code auth-forward}. */
  static final List<String> AUTH_KEYS =
      List.of("origin", "path", "cookie", "cache-for", "offline-window", "timeout");

  /** Two keys: the current one and the next (or the previous) during a rotation. */
  private static final int MAX_KEYS = 2;
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final String MODE_FORM = "signed-url or auth-forward";
  private static final String RULES_FORM = "a list of rules, each with paths (or origin) and a mode";
  private static final String KEY_ID_FORM = "1 to 64 letters, digits, '.', '_' or '-', such as 2026-09";
  private static final String SECRET_FORM = "the path of a file holding the shared secret, at least "
      + SigningKeyConfig.MIN_SECRET_BYTES + " bytes, such as /etc/textbook-gateway/keys/2026-09.key";
  private static final String PATHS_FORM =
      "a list of at least one path prefix starting with /, such as [\"/books/licensed/\"]";
  private static final String COOKIE_FORM = "a cookie name (an HTTP token), such as SESSION";

  private EntitlementBinder() {}

  /** Reads {@code entitlement}; no rules when absent. */
  static List<EntitlementRuleConfig> bind(ConfigReader entitlement, List<OriginConfig> origins) {
    entitlement.map(KEYS);
    ConfigReader rules = entitlement.child("rules");
    if (!rules.isPresent()) {
      return List.of();
    }
    List<EntitlementRuleConfig> result = new ArrayList<>();
    Set<String> prefixes = new HashSet<>();
    Set<String> guardedOrigins = new HashSet<>();
    for (ConfigReader item : rules.items(RULES_FORM)) {
      EntitlementRuleConfig rule = rule(item.map(RULE_KEYS), origins);
      if (rule.origin() != null && !guardedOrigins.add(rule.origin())) {
        throw item.child("origin").fail(Messages.quote(rule.origin())
            + " (expected an origin no other rule guards: which rule applies would be unclear)");
      }
      for (String prefix : rule.paths()) {
        if (!prefixes.add(prefix)) {
          throw item.child("paths").fail(Messages.quote(prefix) + " (expected a prefix no other rule has)");
        }
      }
      result.add(rule);
    }
    return result;
  }

  private static EntitlementRuleConfig rule(ConfigReader rule, List<OriginConfig> origins) {
    ConfigReader paths = rule.child("paths");
    ConfigReader origin = rule.child("origin");
    if (paths.isPresent() == origin.isPresent()) {
      throw (paths.isPresent() ? origin : paths).fail(paths.isPresent()
          ? "not allowed with paths (expected paths or origin, not both)"
          : "required (expected paths, a list of prefixes such as [\"/books/licensed/\"], or origin, an origin's name)");
    }
    List<String> prefixes = paths.isPresent() ? prefixes(paths) : List.of();
    String originName = origin.isPresent() ? originName(origin, origins) : null;
    ConfigReader modeKey = rule.child("mode");
    if (!modeKey.isPresent()) {
      throw modeKey.fail("required (expected " + MODE_FORM + ")");
    }
    String word = modeKey.text(MODE_FORM, text -> text.equals("signed-url") || text.equals("auth-forward"));
    if (word.equals("signed-url")) {
      refuse(rule.child("auth-forward"), "signed-url");
      Duration skew = rule.duration("clock-skew", EntitlementRuleConfig.DEFAULT_CLOCK_SKEW, Duration.ZERO,
          Duration.ofHours(1));
      return new EntitlementRuleConfig(prefixes, originName, EntitlementRuleConfig.Mode.SIGNED_URL,
          keys(rule.child("keys")), skew, null);
    }
    refuse(rule.child("keys"), "auth-forward");
    refuse(rule.child("clock-skew"), "auth-forward");
    return new EntitlementRuleConfig(prefixes, originName, EntitlementRuleConfig.Mode.AUTH_FORWARD, List.of(),
        Duration.ZERO, authForward(rule.child("auth-forward"), origins));
  }

  private static void refuse(ConfigReader key, String mode) {
    if (key.isPresent()) {
      throw key.fail("not used with mode " + mode + " (expected it left out)");
    }
  }

  private static List<String> prefixes(ConfigReader paths) {
    List<ConfigReader> items = paths.items(PATHS_FORM);
    if (items.isEmpty()) {
      throw paths.fail(paths.describe() + " (expected " + PATHS_FORM + ")");
    }
    List<String> result = new ArrayList<>(items.size());
    for (ConfigReader item : items) {
      result.add(item.text(OriginsBinder.PREFIX_FORM, OriginsBinder::isPrefix));
    }
    return result;
  }

  private static String originName(ConfigReader key, List<OriginConfig> origins) {
    String name = key.text("an origin's name", text -> !text.isEmpty());
    if (origins.stream().noneMatch(o -> o.name().equals(name))) {
      throw key.fail(Messages.quote(name) + " (expected the name of a configured origin: "
          + String.join(", ", origins.stream().map(OriginConfig::name).toList()) + ")");
    }
    return name;
  }

  private static List<SigningKeyConfig> keys(ConfigReader keys) {
    if (!keys.isPresent()) {
      throw keys.fail("required with mode signed-url (expected a list of one or two keys, each {id, secret-file})");
    }
    List<ConfigReader> items = keys.items("a list of one or two keys, each {id, secret-file}");
    if (items.isEmpty() || items.size() > MAX_KEYS) {
      throw keys.fail(keys.describe() + " (expected one or two keys: the current one, and the next or"
          + " previous one during a rotation)");
    }
    List<SigningKeyConfig> result = new ArrayList<>();
    for (ConfigReader item : items) {
      item.map(KEY_KEYS);
      ConfigReader id = item.child("id");
      if (!id.isPresent()) {
        throw id.fail("required (expected " + KEY_ID_FORM + ")");
      }
      String keyId = id.text(KEY_ID_FORM, text -> KEY_ID.matcher(text).matches());
      if (result.stream().anyMatch(k -> k.id().equals(keyId))) {
        throw id.fail(Messages.quote(keyId) + " (expected an id the other key does not have)");
      }
      result.add(new SigningKeyConfig(keyId, secret(item.child("secret-file"))));
    }
    return result;
  }

  /** Reads a secret file: its text without surrounding white space, as UTF-8 bytes. */
  private static byte[] secret(ConfigReader file) {
    if (!file.isPresent()) {
      throw file.fail("required (expected " + SECRET_FORM + ")");
    }
    Path path = Path.of(file.text(SECRET_FORM, ConfigBinder::isPath));
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      throw file.fail(file.describe() + " (expected " + SECRET_FORM + "; no such file)");
    } catch (AccessDeniedException e) {
      throw file.fail(file.describe() + " (expected " + SECRET_FORM + "; not readable by this user)");
    } catch (CharacterCodingException e) {
      throw file.fail(file.describe() + " (expected " + SECRET_FORM + "; it is not UTF-8 text)");
    } catch (IOException e) {
      String why = Files.isDirectory(path) ? "it is a directory" : "cannot read it: " + e.getMessage();
      throw file.fail(file.describe() + " (expected " + SECRET_FORM + "; " + why + ")");
    }
    if (text.lines().count() > 1) {
      throw file.fail(file.describe() + " (expected " + SECRET_FORM + "; it holds several lines: one secret per file)");
    }
    byte[] secret = text.getBytes(StandardCharsets.UTF_8);
    if (secret.length < SigningKeyConfig.MIN_SECRET_BYTES) {
      // Never the secret itself in the message: its length only.
      throw file.fail(file.describe() + " (expected " + SECRET_FORM + "; it holds " + secret.length + " bytes)");
    }
    return secret;
  }

  private static AuthForwardConfig authForward(ConfigReader auth, List<OriginConfig> origins) {
    if (!auth.isPresent()) {
      throw auth.fail("required with mode auth-forward (expected a map with keys: " + String.join(", ", AUTH_KEYS) + ")");
    }
    auth.map(AUTH_KEYS);
    ConfigReader origin = auth.child("origin");
    if (!origin.isPresent()) {
      throw origin.fail("required (expected the name of the origin that answers entitlement questions)");
    }
    String originName = originName(origin, origins);
    ConfigReader path = auth.child("path");
    if (!path.isPresent()) {
      throw path.fail("required (expected the endpoint's path, such as /entitlement/check)");
    }
    String endpoint = path.text("a path starting with /, such as /entitlement/check",
        text -> text.startsWith("/") && text.chars().noneMatch(c -> c <= ' ' || c == '#' || c == 0x7f));
    // A query is allowed (/check?app=textbooks): the endpoint's own parameters, sent as written.
    @Nullable String cookie = auth.child("cookie").isPresent()
        ? auth.child("cookie").text(COOKIE_FORM, ConfigBinder::isToken) : null;
    Duration min = Duration.ofMillis(1);
    return new AuthForwardConfig(originName, endpoint, cookie,
        auth.duration("cache-for", AuthForwardConfig.DEFAULT_CACHE_FOR, Duration.ZERO, Duration.ofDays(1)),
        auth.duration("offline-window", AuthForwardConfig.DEFAULT_OFFLINE_WINDOW, Duration.ZERO,
            ConfigBinder.MAX_LIFETIME),
        auth.duration("timeout", AuthForwardConfig.DEFAULT_TIMEOUT, min, Duration.ofMinutes(1)));
  }
}
