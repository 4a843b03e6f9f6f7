package fr.acclermont.gateway.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a PEM bundle of certificates ({@code origins[].tls.ca-file}). Text outside the
 * {@code -----BEGIN CERTIFICATE-----} blocks is ignored, as OpenSSL does (bundles often carry
 * {@code subject=} lines or comments); a block that does not parse is an error, never skipped, so
 * a damaged bundle is found at start-up rather than as an untrusted origin later. Stateless.
 */
final class PemCertificates {

  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]*?)-----END CERTIFICATE-----");

  private PemCertificates() {
  }

  /**
   * Returns the certificates of the PEM file, in order.
   *
   * @throws IllegalArgumentException with a message saying what is wrong with the file (no file,
   *     a directory, unreadable, no certificate, a certificate that does not parse)
   */
  static List<X509Certificate> read(Path file) {
    String text;
    try {
      if (Files.isDirectory(file)) {
        throw new IllegalArgumentException("it is a directory");
      }
      text = Files.readString(file, StandardCharsets.ISO_8859_1); // PEM is ASCII; never fails to decode
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read it: " + e);
    }
    return parse(text);
  }

  /** Returns the certificates of PEM text; throws as {@link #read} does. */
  static List<X509Certificate> parse(String text) {
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("this JVM has no X.509 certificate factory", e);
    }
    List<X509Certificate> certificates = new ArrayList<>();
    Matcher block = BLOCK.matcher(text);
    while (block.find()) {
      int number = certificates.size() + 1;
      try {
        byte[] der = Base64.getMimeDecoder().decode(block.group(1));
        certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      } catch (IllegalArgumentException | CertificateException e) {
        throw new IllegalArgumentException("certificate " + number + " does not parse: "
            + e.getMessage());
      }
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("no -----BEGIN CERTIFICATE----- block in it");
    }
    return certificates;
  }
}
