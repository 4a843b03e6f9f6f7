package fr.acclermont.gateway.config;

/** Placeholder until the config branch lands. */
public record MemoryConfig(long maxBytes, long maxObjectBytes) {}
