package fr.acclermont.gateway.config;

/**
 * Limits on client requests. Immutable.
 *
 * @param maxRequestLine the longest request line in bytes, {@code >= 256}
 * @param maxHeaderBytes the largest header section in bytes, {@code >= 1024}
 * @param maxHeaders the most header fields in a request, {@code >= 1}
 * @param maxBodyBytes the largest request body in bytes of a passed-through method, {@code >= 0}
 */
public record LimitsConfig(int maxRequestLine, int maxHeaderBytes, int maxHeaders,
    long maxBodyBytes) {

  /**
   * Returns the documented defaults: 8KiB request line, 16KiB of headers, 100 headers, 10MiB
   * bodies.
   *
   * @return the default limits
   */
  public static LimitsConfig defaults() {
    return new LimitsConfig(8 * 1024, 16 * 1024, 100, 10L * 1024 * 1024);
  }
}
