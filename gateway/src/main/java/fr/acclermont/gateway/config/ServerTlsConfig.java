package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The HTTPS listener ({@code server.tls}). Immutable.
 *
 * @param port the port to listen on, 0..65535 (0 = an ephemeral port, for tests and the demo)
 * @param certFile the PEM certificate chain, the server's certificate first
 * @param keyFile the PEM private key of that certificate
 * @param reloadInterval how often the two files are checked for a change ({@code
 *     server.tls.reload-interval}, default 1 minute)
 * @param pair the pair read at start-up
 */
public record ServerTlsConfig(int port, Path certFile, Path keyFile, Duration reloadInterval,
    TlsKeyPair pair) {

  /** The files are checked for a change every minute by default. */
  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofMinutes(1);

  /**
   * Creates the settings. Parameters are checked for null only.
   *
   * @param port the port to listen on
   * @param certFile the PEM certificate chain
   * @param keyFile the PEM private key
   * @param reloadInterval how often the files are checked for a change
   * @param pair the pair read at start-up
   */
  public ServerTlsConfig {
    requireNonNull(certFile, "certFile");
    requireNonNull(keyFile, "keyFile");
    requireNonNull(reloadInterval, "reloadInterval");
    requireNonNull(pair, "pair");
  }
}
