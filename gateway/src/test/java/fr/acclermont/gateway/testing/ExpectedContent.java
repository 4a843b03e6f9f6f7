package fr.acclermont.gateway.testing;

import fr.acclermont.gateway.demo.SyntheticContent;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The digest a demo-origin blob must have, computed independently of any server. */
public final class ExpectedContent {

  private static final int CHUNK = 1 << 20;

  private ExpectedContent() {
  }

  /** SHA-256 of {@code length} bytes of the synthetic resource {@code path} (demo seed 1). */
  public static String sha256(String path, long length) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (long offset = 0; offset < length; offset += CHUNK) {
        int n = (int) Math.min(CHUNK, length - offset);
        digest.update(SyntheticContent.bytes(path, offset, n, 1));
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
