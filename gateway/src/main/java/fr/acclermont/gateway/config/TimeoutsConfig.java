package fr.acclermont.gateway.config;

/** Placeholder until the config branch lands. */
public record TimeoutsConfig(java.time.Duration requestHeader, java.time.Duration keepAlive, java.time.Duration shutdown) {}
