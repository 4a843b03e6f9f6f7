package fr.acclermont.gateway.config;

/** Placeholder until the config branch lands. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String m) { super(m); }
}
