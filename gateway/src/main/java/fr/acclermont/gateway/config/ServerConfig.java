package fr.acclermont.gateway.config;

/** Placeholder until the config branch lands. */
public record ServerConfig(String host, int port, String via, int ioThreads) {}
