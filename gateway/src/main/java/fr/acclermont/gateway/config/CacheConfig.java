package fr.acclermont.gateway.config;

/** Placeholder until the config branch lands. */
public record CacheConfig(String name, MemoryConfig memory, long sliceSize) {}
