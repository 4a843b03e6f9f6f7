package fr.acclermont.gateway.config;

/** Placeholder until the config branch lands. */
public record OriginConfig(String name, java.net.URI url, java.util.List<String> paths, java.time.Duration connectTimeout, java.time.Duration responseTimeout, java.time.Duration idleTimeout, int maxIdleConnections) {}
