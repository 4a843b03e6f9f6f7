package fr.acclermont.gateway.config;

/** Placeholder until the config branch lands. */
public record AdminConfig(String host, int port) {}
