package fr.acclermont.gateway.demo;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * The demo gateway's HTTPS certificate: a throw-away CA made at start, and a certificate it issues
 * for {@code localhost}, {@code 127.0.0.1}, {@code ::1}, the listen address and the LAN addresses
 * given, written as PEM files into a folder the demo deletes when it stops.
 *
 * @param caFile the CA certificate, for {@code curl --cacert} or a tablet's trust settings
 * @param certFile the server certificate chain ({@code server.tls.cert-file})
 * @param keyFile its private key ({@code server.tls.key-file})
 */
public record DemoEdgeCertificate(Path caFile, Path certFile, Path keyFile) {

  /**
   * Makes the CA and the certificate and writes them into {@code dir}.
   *
   * @param dir an existing folder
   * @param listenHost the address the gateway listens on
   * @param lanAddresses more addresses to name (the ones the demo prints for tablets)
   * @throws java.io.UncheckedIOException if a file cannot be written
   */
  public static DemoEdgeCertificate create(Path dir, String listenHost, List<String> lanAddresses) {
    requireNonNull(dir, "dir");
    ThrowAwayCa ca = ThrowAwayCa.create(listenHost, lanAddresses);
    DemoEdgeCertificate files = new DemoEdgeCertificate(dir.resolve("demo-ca.pem"), dir.resolve("fullchain.pem"),
        dir.resolve("privkey.pem"));
    ca.writeCaPem(files.caFile());
    ca.writeServerPem(files.certFile(), files.keyFile());
    return files;
  }
}
