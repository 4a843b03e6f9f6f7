package fr.acclermont.gateway.security;

import fr.acclermont.gateway.config.EntitlementRuleConfig;
import fr.acclermont.gateway.metrics.GatewayMetrics;
import fr.acclermont.gateway.origin.OriginClient;
import fr.acclermont.gateway.origin.OriginRoute;
import fr.acclermont.gateway.origin.OriginRouter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The entitlement rules of a gateway, and which one guards a request: the rule of the longest
 * prefix that the path, as sent or as leniently read ({@link PathReading}), starts with; otherwise
 * the rule of the request's origin, if it has one. Thread-safe and immutable.
 */
public final class Entitlements {

  /** No rules: every request is served without a check. */
  public static final Entitlements NONE = new Entitlements(List.of(), Map.of());

  /** A rule that applies to a request, and the book the request belongs to. */
  public record Guard(EntitlementRule rule, String scope) {}

  private record Prefixed(String prefix, String lowerPrefix, EntitlementRule rule) {}

  private final List<Prefixed> prefixes;
  private final Map<String, EntitlementRule> byOrigin;

  private Entitlements(List<Prefixed> prefixes, Map<String, EntitlementRule> byOrigin) {
    this.prefixes = prefixes;
    this.byOrigin = byOrigin;
  }

  /** Builds the rules of {@code configs}; an auth-forward rule asks its origin through {@code client}. */
  public static Entitlements of(List<EntitlementRuleConfig> configs, OriginRouter router, OriginClient client,
      GatewayMetrics metrics, Clock clock) {
    if (configs.isEmpty()) {
      return NONE;
    }
    List<Prefixed> prefixes = new ArrayList<>();
    Map<String, EntitlementRule> byOrigin = new HashMap<>();
    for (EntitlementRuleConfig config : configs) {
      EntitlementRule rule = switch (config.mode()) {
        case SIGNED_URL -> new SignedUrlRule(new SignedUrls(config.keys(), config.clockSkew(), clock));
        case AUTH_FORWARD -> new AuthForwardRule(config.authForward(), route(router, config.authForward().origin()),
            client, metrics, clock);
      };
      for (String prefix : config.paths()) {
        prefixes.add(new Prefixed(prefix, prefix.toLowerCase(Locale.ROOT), rule));
      }
      if (config.origin() != null) {
        byOrigin.put(config.origin(), rule);
      }
    }
    prefixes.sort(Comparator.comparingInt((Prefixed p) -> p.prefix().length()).reversed());
    return new Entitlements(List.copyOf(prefixes), Map.copyOf(byOrigin));
  }

  private static OriginRoute route(OriginRouter router, String name) {
    return router.routes().stream().filter(r -> r.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no origin named " + name));
  }

  /** Whether any rule exists: without one, no request needs a look-up. */
  public boolean any() {
    return !prefixes.isEmpty() || !byOrigin.isEmpty();
  }

  /** The rule guarding a request to origin {@code originName} for {@code pathAndQuery}, or null for none. */
  public @Nullable Guard guard(String originName, String pathAndQuery) {
    if (!any()) {
      return null;
    }
    int question = pathAndQuery.indexOf('?');
    String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
    String reading = PathReading.of(path);
    for (Prefixed prefixed : prefixes) {
      if (path.startsWith(prefixed.prefix()) || reading.startsWith(prefixed.lowerPrefix())) {
        return new Guard(prefixed.rule(), scope(reading, prefixed.lowerPrefix()));
      }
    }
    EntitlementRule rule = byOrigin.get(originName);
    return rule == null ? null : new Guard(rule, scope(reading, "/"));
  }

  /** The prefix and the next segment of the reading: the book, for a prefix such as {@code /books/}. */
  private static String scope(String reading, String lowerPrefix) {
    if (!reading.startsWith(lowerPrefix)) {
      return lowerPrefix; // matched as sent, not as read: the prefix itself is the narrowest safe scope
    }
    int end = reading.indexOf('/', lowerPrefix.length());
    return end < 0 ? lowerPrefix : reading.substring(0, end + 1);
  }
}
