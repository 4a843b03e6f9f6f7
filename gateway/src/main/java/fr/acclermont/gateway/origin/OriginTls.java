package fr.acclermont.gateway.origin;

import static java.util.Objects.requireNonNull;

import fr.acclermont.gateway.config.OriginConfig;
import fr.acclermont.gateway.config.OriginTlsConfig;
import fr.acclermont.gateway.metrics.TlsOutcome;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXReason;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS to one {@code https} origin: the client {@link SslContext} built once at start-up (never per
 * connection: building one reads trust stores and may take milliseconds), an {@link SslHandler} for
 * each new connection, and what a failed handshake means.
 *
 * <p>Trust: the JDK's trust store plus the CAs of {@code tls.ca-file}, together in one trust
 * store, so a chain may lead to either. Host names are verified (endpoint identification
 * {@code HTTPS}: the URL's host against the certificate's DNS or IP names). SNI carries the URL's
 * host, unless it is an IP literal (RFC 6066 3 forbids one there). TLS 1.2 and 1.3 only. With
 * {@code tls.verify: false} nothing is verified (a lab's self-signed origin), which is logged as a
 * WARN at start-up.
 *
 * <p>Engine: OpenSSL (BoringSSL from netty-tcnative) when it loads, the JDK's otherwise; both check
 * certificates with the same JDK trust manager, so failures read the same.
 *
 * <p>Immutable and thread-safe: one instance serves every event loop.
 */
public final class OriginTls {

  private static final Logger log = LoggerFactory.getLogger(OriginTls.class);
  /** TLS 1.0 and 1.1 are deprecated (RFC 8996); an origin that offers nothing newer is refused. */
  private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
  /** The JDK's HostnameChecker messages (sun.security.util.HostnameChecker), the only signal of a name mismatch. */
  private static final Pattern NAME_MISMATCH =
      Pattern.compile("(?i)^no (subject alternative (dns )?names?|name) matching .*|^no subject alternative names present.*");
  /** Longer reasons are cut: a log line, not a dump. */
  private static final int MAX_REASON_CHARS = 200;
  /** A cause chain deeper than this is a cycle or a wrapper pile: looked at no further. */
  private static final int MAX_CAUSE_DEPTH = 16;

  /**
   * What a failed handshake meant.
   *
   * @param outcome the metric's outcome
   * @param reason a short phrase for the log line, e.g. {@code certificate not trusted (unknown CA)}
   */
  public record Failure(TlsOutcome outcome, String reason) {
  }

  private final String origin;
  private final String host;
  private final int port;
  private final boolean sendSni;
  private final SslContext context;
  private final SslProvider provider;
  private final TlsHandshakeLog failures;

  private OriginTls(String origin, String host, int port, SslContext context, SslProvider provider) {
    this.origin = origin;
    this.host = host;
    this.port = port;
    this.sendSni = !NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host);
    this.context = context;
    this.provider = provider;
    this.failures = new TlsHandshakeLog(origin);
  }

  /**
   * Builds the TLS of an {@code https} origin with the engine of {@link #defaultProvider()}. Call at
   * start-up: it reads the trust store. With {@code tls.verify: false}, logs a WARN naming the origin.
   *
   * @param config the origin; its URL or one of its parents' must be {@code https}
   * @param host the host to connect to, as {@link Upstream#host()} gives it: the origin's or a
   *     parent's
   * @param port the port to connect to
   * @throws IllegalStateException if the JDK cannot build the context (no trust store, no TLS 1.2)
   */
  public static OriginTls create(OriginConfig config, String host, int port) {
    return create(config, host, port, defaultProvider());
  }

  /** As {@link #create(OriginConfig, String, int)}, with a given engine (tests run both). */
  static OriginTls create(OriginConfig config, String host, int port, SslProvider provider) {
    requireNonNull(config, "config");
    requireNonNull(host, "host");
    requireNonNull(provider, "provider");
    if (!config.usesTls()) {
      throw new IllegalArgumentException("url: " + config.url() + " (expected: https, or an https parent)");
    }
    OriginTlsConfig tls = config.tls();
    SslContextBuilder builder = SslContextBuilder.forClient()
        .sslProvider(provider)
        .protocols(protocols(provider));
    if (tls.verify()) {
      builder.endpointIdentificationAlgorithm("HTTPS");
      if (!tls.caCertificates().isEmpty()) {
        builder.trustManager(systemTrustPlus(tls.caCertificates()));
      } // else Netty's default: the JDK's trust store
    } else {
      builder.endpointIdentificationAlgorithm(null).trustManager(InsecureTrustManagerFactory.INSTANCE);
      log.warn("origin {}: TLS certificates are NOT verified (tls.verify: false): for a lab only, anyone on"
          + " the path can pose as {}", config.name(), host);
    }
    try {
      return new OriginTls(config.name(), unbracketed(host), port, builder.build(), provider);
    } catch (SSLException e) {
      throw new IllegalStateException("origin " + config.name() + ": cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /** OpenSSL (BoringSSL) when netty-tcnative loads on this platform, else the JDK's engine. */
  public static SslProvider defaultProvider() {
    return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
  }

  /** Which engine {@link #defaultProvider()} is, for the start-up log line. */
  public static String engineDescription() {
    if (OpenSsl.isAvailable()) {
      return "OpenSSL engine (" + OpenSsl.versionString() + ")";
    }
    Throwable why = OpenSsl.unavailabilityCause();
    return "JDK engine (" + System.getProperty("java.vendor") + " " + System.getProperty("java.version")
        + "; OpenSSL did not load: " + (why == null ? "unknown" : oneLine(why.toString())) + ")";
  }

  /**
   * A new handler for a connection to the origin, to be first in its pipeline: SNI and host name
   * verification for the URL's host, the handshake bounded by {@code handshakeTimeoutMillis}.
   */
  public SslHandler newHandler(ByteBufAllocator allocator, long handshakeTimeoutMillis) {
    SslHandler handler = context.newHandler(allocator, host, port);
    if (sendSni) {
      // Both engines send SNI by themselves only for a host with a dot in it: an origin named by a
      // short internal name ("cloud") would get none and might answer with its default certificate.
      SSLEngine engine = handler.engine();
      SSLParameters parameters = engine.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(host)));
      engine.setSSLParameters(parameters);
    }
    handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
    return handler;
  }

  /** The origin's name. */
  public String origin() {
    return origin;
  }

  /** The host verified against the certificate and sent as SNI (when not an IP literal). */
  public String host() {
    return host;
  }

  /** The engine this origin's connections use. */
  public SslProvider provider() {
    return provider;
  }

  /** Logs failed handshakes of this origin, once per reason rather than at every connection. */
  TlsHandshakeLog failures() {
    return failures;
  }

  /** The one-line description of a failed handshake, for logs and the exchange's failure. */
  public String describe(Failure failure) {
    return "TLS handshake failed: " + failure.reason() + " for host " + host;
  }

  /**
   * What a handshake failure means. The JDK's trust manager (used by both engines) reports a chain
   * it cannot build to a trusted CA as a {@link CertPathBuilderException}, an expired certificate
   * as a {@link CertificateExpiredException}, and a name mismatch as a plain
   * {@link CertificateException} whose message is the only sign; the engines wrap these in an
   * {@code SSLHandshakeException}, so the whole cause chain is searched.
   */
  public static Failure classify(Throwable cause) {
    requireNonNull(cause, "cause");
    List<Throwable> chain = chain(cause);
    for (Throwable t : chain) {
      if (t instanceof CertificateExpiredException) {
        return new Failure(TlsOutcome.EXPIRED, "certificate expired");
      }
      if (t instanceof CertificateNotYetValidException) {
        return new Failure(TlsOutcome.EXPIRED, "certificate not valid yet");
      }
      if (t instanceof CertPathValidatorException v) {
        if (v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
          return new Failure(TlsOutcome.EXPIRED, "certificate expired");
        }
        if (v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
          return new Failure(TlsOutcome.EXPIRED, "certificate not valid yet");
        }
      }
    }
    for (Throwable t : chain) {
      if (t instanceof CertificateException && t.getMessage() != null
          && NAME_MISMATCH.matcher(t.getMessage().strip()).matches()) {
        return new Failure(TlsOutcome.HOSTNAME, "certificate does not match the host name");
      }
    }
    for (Throwable t : chain) {
      if (t instanceof CertPathBuilderException) {
        return new Failure(TlsOutcome.UNTRUSTED, "certificate not trusted (unknown CA)");
      }
      if (t instanceof CertPathValidatorException v) {
        if (v.getReason() == CertPathValidatorException.BasicReason.REVOKED) {
          return new Failure(TlsOutcome.UNTRUSTED, "certificate revoked");
        }
        if (v.getReason() == PKIXReason.NO_TRUST_ANCHOR) {
          return new Failure(TlsOutcome.UNTRUSTED, "certificate not trusted (unknown CA)");
        }
        return new Failure(TlsOutcome.UNTRUSTED, "certificate rejected: " + oneLine(String.valueOf(v.getMessage())));
      }
    }
    for (Throwable t : chain) {
      if (t instanceof SslHandshakeTimeoutException) {
        return new Failure(TlsOutcome.ERROR, "no handshake in time (" + oneLine(String.valueOf(t.getMessage())) + ")");
      }
    }
    Throwable root = chain.get(chain.size() - 1);
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return new Failure(TlsOutcome.ERROR, oneLine(message));
  }

  private static List<Throwable> chain(Throwable cause) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = cause; t != null && chain.size() < MAX_CAUSE_DEPTH && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static String oneLine(String text) {
    String line = text.strip().replaceAll("\\s*\\R\\s*", " ");
    return line.length() <= MAX_REASON_CHARS ? line : line.substring(0, MAX_REASON_CHARS) + "...";
  }

  /**
   * The JDK's trusted CAs and {@code extra} in one trust store: a chain to either is trusted. (Two
   * trust managers tried in turn would report the second's failure for a chain the first rejects
   * for another reason, such as an expired certificate.)
   */
  private static TrustManagerFactory systemTrustPlus(List<X509Certificate> extra) {
    try {
      TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      system.init((KeyStore) null);
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (TrustManager manager : system.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          for (X509Certificate ca : x509.getAcceptedIssuers()) {
            store.setCertificateEntry("system-" + n++, ca);
          }
        }
      }
      for (X509Certificate ca : extra) {
        store.setCertificateEntry("ca-file-" + n++, ca);
      }
      TrustManagerFactory combined = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      combined.init(store);
      return combined;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a trust store from the JDK's and tls.ca-file's CAs: " + e, e);
    }
  }

  private static List<String> protocols(SslProvider provider) {
    if (SslProvider.isTlsv13Supported(provider)) {
      return PROTOCOLS;
    }
    return List.of("TLSv1.2");
  }

  /** {@code [::1]} as a URI's host gives it: the address without brackets. */
  private static String unbracketed(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  @Override
  public String toString() {
    return "TLS to " + origin + " (" + host + ", " + provider.name().toLowerCase(Locale.ROOT) + ")";
  }
}
