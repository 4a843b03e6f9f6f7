package fr.acclermont.gateway.demo;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLException;

/**
 * A certificate authority made at start-up and forgotten at exit, and the one server certificate
 * it issues: how the CDN profile serves HTTPS without any key on disk. Whoever must trust the
 * origin (a gateway's {@code origins[].tls.ca-file}, a load generator's {@code --origin-ca})
 * trusts the CA's PEM, {@link #writeCaPem(Path)}.
 *
 * <p>The server certificate names {@code localhost}, {@code 127.0.0.1} and {@code ::1}, and the
 * address the origin listens on when it is a specific one. Both are ECDSA P-256, valid from an
 * hour ago (clock skew) for 30 days. Immutable and thread-safe.
 */
final class ThrowAwayCa {

  private static final Duration VALIDITY = Duration.ofDays(30);
  private static final Duration BACKDATE = Duration.ofHours(1);

  private final X509Bundle ca;
  private final X509Bundle server;

  private ThrowAwayCa(X509Bundle ca, X509Bundle server) {
    this.ca = ca;
    this.server = server;
  }

  /**
   * Makes a CA and a server certificate for the loopback names and {@code listenHost}.
   *
   * @param listenHost the address the origin binds: added to the certificate unless it is a
   *     wildcard ({@code 0.0.0.0}, {@code ::}) or already named
   */
  static ThrowAwayCa create(String listenHost) {
    return create(listenHost, java.util.List.of());
  }

  /**
   * As {@link #create(String)}, with {@code moreHosts} (names or addresses, such as the LAN
   * addresses the demo prints) in the certificate too.
   */
  static ThrowAwayCa create(String listenHost, java.util.List<String> moreHosts) {
    Instant now = Instant.now();
    try {
      X509Bundle ca = new CertificateBuilder()
          .subject("CN=Textbook demo origin throw-away CA")
          .setIsCertificateAuthority(true)
          .algorithm(CertificateBuilder.Algorithm.ecp256)
          .notBefore(now.minus(BACKDATE))
          .notAfter(now.plus(VALIDITY))
          .buildSelfSigned();
      CertificateBuilder leaf = new CertificateBuilder()
          .subject("CN=localhost")
          .algorithm(CertificateBuilder.Algorithm.ecp256)
          .notBefore(now.minus(BACKDATE))
          .notAfter(now.plus(VALIDITY))
          .addExtendedKeyUsageServerAuth()
          .addSanDnsName("localhost")
          .addSanIpAddress("127.0.0.1")
          .addSanIpAddress("::1");
      addListenHost(leaf, listenHost);
      for (String host : moreHosts) {
        if (!host.equals(listenHost)) {
          addListenHost(leaf, host);
        }
      }
      return new ThrowAwayCa(ca, leaf.buildIssuedBy(ca));
    } catch (Exception e) {
      throw new IllegalStateException("cannot make the demo origin's throw-away CA", e);
    }
  }

  /** Returns the CA certificate, PEM-encoded: what a client trusts. */
  String caPem() {
    return ca.getCertificatePEM();
  }

  /** Writes {@link #caPem()} to {@code file}, replacing it. */
  void writeCaPem(Path file) {
    try {
      Files.writeString(file, caPem(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the demo origin's CA to " + file, e);
    }
  }

  /** Writes the server's chain and PKCS#8 key as PEM files, for a listener configured by files. */
  void writeServerPem(Path certFile, Path keyFile) {
    try {
      Files.writeString(certFile, server.getCertificatePathPEM(), StandardCharsets.US_ASCII);
      Files.writeString(keyFile, server.getPrivateKeyPEM(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the demo's certificate to " + certFile, e);
    }
  }

  /**
   * Returns a server context presenting the certificate: BoringSSL (netty-tcnative) when it loads,
   * the JDK's engine otherwise.
   */
  SslContext serverContext() {
    try {
      return SslContextBuilder.forServer(server.getKeyPair().getPrivate(), server.getCertificatePath())
          .sslProvider(provider())
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the demo origin's TLS context", e);
    }
  }

  /** Returns the TLS engine the contexts use: OpenSSL (BoringSSL) when available, else the JDK's. */
  static SslProvider provider() {
    return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
  }

  private static void addListenHost(CertificateBuilder leaf, String host) {
    if (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1")) {
      return;
    }
    boolean literal = host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    if (!literal) {
      leaf.addSanDnsName(host);
      return;
    }
    try {
      InetAddress address = InetAddress.getByName(host);
      if (!address.isAnyLocalAddress()) {
        leaf.addSanIpAddress(address);
      }
    } catch (IOException e) {
      // Not an address after all: the loopback names still cover local clients.
    }
  }
}
