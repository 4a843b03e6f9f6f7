package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The whole configuration of one gateway, as read by {@link ConfigLoader}. Immutable.
 *
 * @param school the label value of {@code gateway_build_info{school}}
 * @param server the client-facing listener
 * @param admin the management listener ({@code /metrics}, {@code /healthz}, {@code /readyz})
 * @param origins the origins, at least one, with unique names and path prefixes
 * @param cache the cache name and budgets
 * @param limits the limits on client requests
 * @param timeouts the timeouts on client connections and shutdown
 * @param accessLog where the access log goes
 * @param entitlement the entitlement rules, in configuration order; empty when nothing is licensed
 * @param prefetch what is prefetched, when and how fast; off without lists
 * @param logLevel the root logger's level ({@code log-level}), which wins over
 *     {@code GATEWAY_LOG_LEVEL}; null when the file does not set it, leaving the level Logback
 *     started with ({@code GATEWAY_LOG_LEVEL}, else INFO)
 */
public record GatewayConfig(String school, ServerConfig server, AdminConfig admin,
    List<OriginConfig> origins, CacheConfig cache, LimitsConfig limits, TimeoutsConfig timeouts,
    AccessLogConfig accessLog, List<EntitlementRuleConfig> entitlement, PrefetchConfig prefetch,
    @Nullable LogLevel logLevel) {

  /** The default {@link #school()} label. */
  public static final String DEFAULT_SCHOOL = "default";

  /**
   * Creates a configuration; {@code origins} is copied into an immutable list. Parameters are
   * checked for null only: ranges are checked by {@link ConfigLoader}.
   *
   * @param school the label value of {@code gateway_build_info{school}}
   * @param server the client-facing listener
   * @param admin the management listener ({@code /metrics}, {@code /healthz}, {@code /readyz})
   * @param origins the origins, at least one, with unique names and path prefixes
   * @param cache the cache name and budgets
   * @param limits the limits on client requests
   * @param timeouts the timeouts on client connections and shutdown
   * @param accessLog where the access log goes
   * @param entitlement the entitlement rules
   * @param prefetch prefetching
   * @param logLevel the root logger's level, or null to leave it as Logback started
   */
  public GatewayConfig {
    requireNonNull(school, "school");
    requireNonNull(server, "server");
    requireNonNull(admin, "admin");
    origins = List.copyOf(requireNonNull(origins, "origins"));
    requireNonNull(cache, "cache");
    requireNonNull(limits, "limits");
    requireNonNull(timeouts, "timeouts");
    requireNonNull(accessLog, "accessLog");
    entitlement = List.copyOf(requireNonNull(entitlement, "entitlement"));
    requireNonNull(prefetch, "prefetch");
  }

  /** A configuration that leaves the log level as Logback started. */
  public GatewayConfig(String school, ServerConfig server, AdminConfig admin, List<OriginConfig> origins,
      CacheConfig cache, LimitsConfig limits, TimeoutsConfig timeouts, AccessLogConfig accessLog,
      List<EntitlementRuleConfig> entitlement, PrefetchConfig prefetch) {
    this(school, server, admin, origins, cache, limits, timeouts, accessLog, entitlement, prefetch, null);
  }

  /** A configuration without prefetching. */
  public GatewayConfig(String school, ServerConfig server, AdminConfig admin, List<OriginConfig> origins,
      CacheConfig cache, LimitsConfig limits, TimeoutsConfig timeouts, AccessLogConfig accessLog,
      List<EntitlementRuleConfig> entitlement) {
    this(school, server, admin, origins, cache, limits, timeouts, accessLog, entitlement, PrefetchConfig.defaults());
  }

  /** A configuration without entitlement rules. */
  public GatewayConfig(String school, ServerConfig server, AdminConfig admin, List<OriginConfig> origins,
      CacheConfig cache, LimitsConfig limits, TimeoutsConfig timeouts, AccessLogConfig accessLog) {
    this(school, server, admin, origins, cache, limits, timeouts, accessLog, List.of());
  }

  /**
   * Returns the configuration with every default, as documented in {@code config/gateway.yaml},
   * in front of the given origins.
   *
   * @param origins the origins
   * @return a configuration with the default school, server, admin, cache, limits, timeouts and
   *     access log
   */
  public static GatewayConfig withDefaults(List<OriginConfig> origins) {
    return new GatewayConfig(DEFAULT_SCHOOL, ServerConfig.defaults(), AdminConfig.defaults(),
        origins, CacheConfig.defaults(), LimitsConfig.defaults(), TimeoutsConfig.defaults(),
        AccessLogConfig.defaults());
  }
}
