package fr.acclermont.gateway.config;

/** Placeholder until the config branch lands. */
public record LimitsConfig(int maxRequestLine, int maxHeaderBytes, int maxHeaders, long maxBodyBytes) {}
