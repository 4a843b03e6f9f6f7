package fr.acclermont.gateway.testing;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The tests' throw-away PKI, built once per JVM with Netty's {@link CertificateBuilder}: a CA the
 * gateway is told to trust ({@link #caFile()}), another CA it is not, and server certificates for
 * {@code localhost} and {@code 127.0.0.1} (good, expired, issued by the other CA) or for
 * {@code other.example} only. ECDSA P-256: quick to make and to use.
 */
public final class TestPki {

  private static final String[] LOOPBACK_NAMES = {"localhost"};
  private static final String[] LOOPBACK_ADDRESSES = {"127.0.0.1"};

  /** The CA of {@link #caFile()}. */
  public static final X509Bundle CA = ca("CN=Test Academie CA");
  /** A CA nobody is told to trust. */
  public static final X509Bundle OTHER_CA = ca("CN=Some Other CA");
  /** localhost and 127.0.0.1, issued by {@link #CA}, valid now. */
  public static final X509Bundle LOOPBACK = leaf(CA, "CN=localhost", LOOPBACK_NAMES, LOOPBACK_ADDRESSES,
      Instant.now().minus(1, ChronoUnit.DAYS), Instant.now().plus(30, ChronoUnit.DAYS));
  /** As {@link #LOOPBACK}, but expired yesterday. */
  public static final X509Bundle EXPIRED = leaf(CA, "CN=localhost", LOOPBACK_NAMES, LOOPBACK_ADDRESSES,
      Instant.now().minus(30, ChronoUnit.DAYS), Instant.now().minus(1, ChronoUnit.DAYS));
  /** As {@link #LOOPBACK}, but issued by {@link #OTHER_CA}. */
  public static final X509Bundle UNTRUSTED = leaf(OTHER_CA, "CN=localhost", LOOPBACK_NAMES, LOOPBACK_ADDRESSES,
      Instant.now().minus(1, ChronoUnit.DAYS), Instant.now().plus(30, ChronoUnit.DAYS));
  /** Issued by {@link #CA}, valid now, for {@code other.example} only. */
  public static final X509Bundle OTHER_HOST = leaf(CA, "CN=other.example", new String[] {"other.example"},
      new String[0], Instant.now().minus(1, ChronoUnit.DAYS), Instant.now().plus(30, ChronoUnit.DAYS));

  private static Path caFile;

  private TestPki() {
  }

  /** A PEM file holding {@link #CA}, written once (deleted when the JVM exits). */
  public static synchronized Path caFile() {
    if (caFile == null) {
      try {
        Path file = Files.createTempFile("test-ca-", ".pem");
        file.toFile().deleteOnExit();
        Files.writeString(file, "# the tests' CA\n" + CA.getCertificatePEM(), StandardCharsets.US_ASCII);
        caFile = file;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return caFile;
  }

  /**
   * A server context presenting {@code leaf} and its chain, on the JDK's engine (so
   * {@link RawOrigin} can take its {@code SSLContext}, and the server side never depends on
   * netty-tcnative).
   */
  public static SslContext server(X509Bundle leaf) {
    try {
      return SslContextBuilder.forServer(leaf.getKeyPair().getPrivate(), leaf.getCertificatePath())
          .sslProvider(SslProvider.JDK)
          .protocols("TLSv1.3", "TLSv1.2")
          .build();
    } catch (Exception e) {
      throw new IllegalStateException("server context for " + leaf.getCertificate().getSubjectX500Principal(), e);
    }
  }

  private static X509Bundle ca(String subject) {
    try {
      return new CertificateBuilder().subject(subject).setIsCertificateAuthority(true)
          .algorithm(CertificateBuilder.Algorithm.ecp256)
          .notBefore(Instant.now().minus(1, ChronoUnit.DAYS)).notAfter(Instant.now().plus(365, ChronoUnit.DAYS))
          .buildSelfSigned();
    } catch (Exception e) {
      throw new IllegalStateException("test CA " + subject, e);
    }
  }

  private static X509Bundle leaf(X509Bundle issuer, String subject, String[] dnsNames, String[] addresses,
      Instant notBefore, Instant notAfter) {
    try {
      CertificateBuilder builder = new CertificateBuilder().subject(subject)
          .algorithm(CertificateBuilder.Algorithm.ecp256)
          .notBefore(notBefore).notAfter(notAfter)
          .addExtendedKeyUsageServerAuth();
      for (String name : dnsNames) {
        builder.addSanDnsName(name);
      }
      for (String address : addresses) {
        builder.addSanIpAddress(address);
      }
      return builder.buildIssuedBy(issuer);
    } catch (Exception e) {
      throw new IllegalStateException("test certificate " + subject, e);
    }
  }
}
