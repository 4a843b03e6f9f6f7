package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server certificate chain and its private key, read from PEM files ({@code server.tls.cert-file}
 * and {@code server.tls.key-file}) and checked to belong together. The key may be PKCS#8
 * ({@code BEGIN PRIVATE KEY}: RSA, EC or Ed25519), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1
 * ({@code BEGIN EC PRIVATE KEY}); encrypted keys are refused (the gateway has nowhere to read a
 * pass phrase from). The JDK alone reads them: no Netty, no Bouncy Castle. Immutable.
 *
 * @param chain the certificates of the cert file, the server's own first
 * @param key the private key of the first certificate
 */
public record TlsKeyPair(List<X509Certificate> chain, PrivateKey key) {

  private static final Pattern KEY_BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]*?)-----END \\1PRIVATE KEY-----");
  /** AlgorithmIdentifier of rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters, DER. */
  private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48,
      (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
  /** The OID id-ecPublicKey (1.2.840.10045.2.1), DER. */
  private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce,
      0x3d, 0x02, 0x01};
  private static final byte[] PROBE = "textbook-gateway key check".getBytes(StandardCharsets.US_ASCII);

  /** Which of the two files a {@link Unusable} pair is about. */
  public enum Part {
    /** The certificate file. */
    CERTIFICATE,
    /** The private key file. */
    KEY
  }

  /** A pair that cannot be served; the message says why in a few words, without the file name. */
  public static final class Unusable extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final Part part;

    Unusable(Part part, String message) {
      super(message);
      this.part = part;
    }

    /** Which file is at fault. */
    public Part part() {
      return part;
    }
  }

  /**
   * Creates a pair; the chain is copied.
   *
   * @param chain the certificates, the server's own first; not empty
   * @param key the private key of the first certificate
   */
  public TlsKeyPair {
    chain = List.copyOf(requireNonNull(chain, "chain"));
    requireNonNull(key, "key");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("chain: empty (expected: at least the server's certificate)");
    }
  }

  /**
   * Reads and checks a pair.
   *
   * @param certFile the PEM certificate chain, the server's certificate first
   * @param keyFile the PEM private key
   * @throws Unusable if a file is missing, unreadable or damaged, or the key is not the
   *     certificate's
   */
  public static TlsKeyPair read(Path certFile, Path keyFile) {
    List<X509Certificate> chain;
    try {
      chain = PemCertificates.read(certFile);
    } catch (IllegalArgumentException e) {
      throw new Unusable(Part.CERTIFICATE, e.getMessage());
    }
    PrivateKey key = readKey(keyFile);
    if (!matches(chain.get(0), key)) {
      throw new Unusable(Part.KEY, "the key is not the one of the certificate "
          + chain.get(0).getSubjectX500Principal().getName());
    }
    return new TlsKeyPair(chain, key);
  }

  /**
   * Whether the server's certificate is valid at {@code now}; the reason otherwise, e.g.
   * {@code expired on ...}.
   */
  public String validity(Date now) {
    try {
      chain.get(0).checkValidity(now);
      return "";
    } catch (CertificateExpiredException e) {
      return "the certificate expired on " + chain.get(0).getNotAfter().toInstant();
    } catch (CertificateNotYetValidException e) {
      return "the certificate is not valid before " + chain.get(0).getNotBefore().toInstant();
    }
  }

  private static PrivateKey readKey(Path file) {
    String text;
    try {
      if (Files.isDirectory(file)) {
        throw new Unusable(Part.KEY, "it is a directory");
      }
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new Unusable(Part.KEY, "no such file");
    } catch (IOException e) {
      throw new Unusable(Part.KEY, "cannot read it: " + e);
    }
    Matcher block = KEY_BLOCK.matcher(text);
    if (!block.find()) {
      throw new Unusable(Part.KEY, "no -----BEGIN PRIVATE KEY----- block in it");
    }
    String kind = block.group(1).strip();
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(block.group(2));
    } catch (IllegalArgumentException e) {
      throw new Unusable(Part.KEY, "the key block is not base64: " + e.getMessage());
    }
    return switch (kind) {
      case "" -> pkcs8(der, "RSA", "EC", "Ed25519", "RSASSA-PSS");
      case "RSA" -> pkcs8(pkcs8Of(RSA_ALGORITHM, der), "RSA");
      case "EC" -> pkcs8(pkcs8Of(ecAlgorithm(der), der), "EC");
      case "ENCRYPTED" -> throw new Unusable(Part.KEY,
          "the key is encrypted (expected an unencrypted key: openssl pkcs8 -topk8 -nocrypt)");
      default -> throw new Unusable(Part.KEY, "a " + kind + " PRIVATE KEY block (expected PRIVATE KEY,"
          + " RSA PRIVATE KEY or EC PRIVATE KEY)");
    };
  }

  private static PrivateKey pkcs8(byte[] der, String... algorithms) {
    for (String algorithm : algorithms) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        // try the next algorithm
      }
    }
    throw new Unusable(Part.KEY, "the key does not parse as " + String.join(", ", algorithms));
  }

  /** PrivateKeyInfo { version 0, algorithm, OCTET STRING key } (RFC 5208). */
  private static byte[] pkcs8Of(byte[] algorithm, byte[] key) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(algorithm);
    body.writeBytes(der(0x04, key));
    return der(0x30, body.toByteArray());
  }

  /**
   * The AlgorithmIdentifier of a SEC1 ECPrivateKey (RFC 5915): id-ecPublicKey with the curve OID
   * found in its {@code [0] parameters}.
   */
  private static byte[] ecAlgorithm(byte[] sec1) {
    try {
      int[] seq = header(sec1, 0); // SEQUENCE
      int at = seq[0];
      int end = seq[0] + seq[1];
      while (at < end) {
        int[] field = header(sec1, at);
        if ((sec1[at] & 0xff) == 0xa0) {
          int[] oid = header(sec1, field[0]);
          byte[] curve = java.util.Arrays.copyOfRange(sec1, field[0], oid[0] + oid[1]);
          ByteArrayOutputStream algorithm = new ByteArrayOutputStream();
          algorithm.writeBytes(EC_PUBLIC_KEY_OID);
          algorithm.writeBytes(curve);
          return der(0x30, algorithm.toByteArray());
        }
        at = field[0] + field[1];
      }
    } catch (ArrayIndexOutOfBoundsException e) {
      // falls through
    }
    throw new Unusable(Part.KEY, "the EC key does not parse or names no curve");
  }

  /** Returns {content offset, content length} of the DER element at {@code at}. */
  private static int[] header(byte[] der, int at) {
    int length = der[at + 1] & 0xff;
    int offset = at + 2;
    if (length > 0x80) {
      int n = length & 0x7f;
      length = 0;
      for (int i = 0; i < n; i++) {
        length = (length << 8) | (der[offset++] & 0xff);
      }
    }
    return new int[] {offset, length};
  }

  private static byte[] der(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write(n >> 8);
      out.write(n);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  /** Whether {@code key} signs what the certificate's public key verifies. */
  private static boolean matches(X509Certificate certificate, PrivateKey key) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (algorithm == null) {
      return true; // an algorithm not probed here: the handshake will tell
    }
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(PROBE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(PROBE);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
