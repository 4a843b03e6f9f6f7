package fr.acclermont.gateway.config;

/** Placeholder until the config branch lands. */
public final class ConfigLoader {
  public static GatewayConfig load(java.nio.file.Path file, java.util.Map<String, String> env) { throw new UnsupportedOperationException(); }
  public static GatewayConfig parse(String yaml, java.util.Map<String, String> env) { throw new UnsupportedOperationException(); }
}
