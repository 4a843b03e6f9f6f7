package fr.acclermont.gateway.testing;

import fr.acclermont.gateway.demo.DemoContent;
import fr.acclermont.gateway.demo.SyntheticContent;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The bytes and digest a demo-origin blob must have (demo seed 1), computed independently of any
 * server: version 1 is the synthetic content of the path, version 2 (after the origin's
 * {@code version-after=N} hook) that of the path plus {@link DemoContent#VERSION_2_SUFFIX}.
 */
public final class ExpectedContent {

  private static final int CHUNK = 1 << 20;
  private static final long SEED = 1;

  private ExpectedContent() {
  }

  /** SHA-256 of {@code length} bytes of the synthetic resource {@code path} (version 1). */
  public static String sha256(String path, long length) {
    return sha256(path, length, 1);
  }

  /** SHA-256 of {@code length} bytes of {@code version} (1 or 2) of the blob at {@code path}. */
  public static String sha256(String path, long length, int version) {
    String name = name(path, version);
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (long offset = 0; offset < length; offset += CHUNK) {
        int n = (int) Math.min(CHUNK, length - offset);
        digest.update(SyntheticContent.bytes(name, offset, n, SEED));
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Bytes {@code [offset, offset + length)} of version 1 of the blob at {@code path}. */
  public static byte[] bytes(String path, long offset, int length) {
    return bytes(path, offset, length, 1);
  }

  /** Bytes {@code [offset, offset + length)} of {@code version} (1 or 2) of the blob at {@code path}. */
  public static byte[] bytes(String path, long offset, int length, int version) {
    return SyntheticContent.bytes(name(path, version), offset, length, SEED);
  }

  private static String name(String path, int version) {
    return switch (version) {
      case 1 -> path;
      case 2 -> path + DemoContent.VERSION_2_SUFFIX;
      default -> throw new IllegalArgumentException("version: " + version + " (expected: 1 or 2)");
    };
  }
}
