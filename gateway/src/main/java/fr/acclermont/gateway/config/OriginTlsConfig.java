package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How the gateway checks an {@code https} origin's certificate ({@code origins[].tls}). Immutable.
 *
 * @param caFile the PEM bundle of extra CAs ({@code tls.ca-file}), trusted on top of the JDK's
 *     trust store; null for none
 * @param caCertificates the certificates read from {@code caFile} at start-up (empty without one)
 * @param verify whether the certificate chain and host name are verified ({@code tls.verify});
 *     false is for a lab only
 */
public record OriginTlsConfig(@Nullable Path caFile, List<X509Certificate> caCertificates,
    boolean verify) {

  /** The default: the JDK's trust store only, certificates and host names verified. */
  public static final OriginTlsConfig DEFAULT = new OriginTlsConfig(null, List.of(), true);

  /**
   * Creates the settings; {@code caCertificates} is copied into an immutable list.
   *
   * @param caFile the PEM bundle of extra CAs, or null
   * @param caCertificates the certificates read from it
   * @param verify whether certificates and host names are verified
   */
  public OriginTlsConfig {
    caCertificates = List.copyOf(requireNonNull(caCertificates, "caCertificates"));
  }
}
