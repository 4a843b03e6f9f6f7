package fr.acclermont.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Secret files for entitlement keys, written once per JVM and deleted at its exit. */
public final class TestSecrets {

  private TestSecrets() {}

  /** A file holding {@code secret} and a newline, as an operator's editor leaves it. */
  public static Path file(String secret) {
    try {
      Path file = Files.createTempFile("gateway-secret-", ".key");
      file.toFile().deleteOnExit();
      Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The UTF-8 bytes of {@code secret}, as the gateway reads it from its file. */
  public static byte[] bytes(String secret) {
    return secret.getBytes(StandardCharsets.UTF_8);
  }
}
