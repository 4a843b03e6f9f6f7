package fr.acclermont.gateway.config;

/** Placeholder until the config branch lands. */
public record GatewayConfig(String school, ServerConfig server, AdminConfig admin, java.util.List<OriginConfig> origins, CacheConfig cache, LimitsConfig limits, TimeoutsConfig timeouts) {}
