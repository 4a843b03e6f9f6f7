package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;

/**
 * The bearer token of the management port ({@code admin.token-file}). Immutable.
 *
 * <p>A class rather than a string so that the secret cannot leak by accident: {@link #toString()}
 * masks it (configurations are logged and printed in test failures), and the only way to use it
 * is {@link #matches}, a comparison whose time does not depend on the secret.
 */
public final class AdminToken {

  /** Shorter tokens can be guessed by a client on the same network; 16 hex digits are 64 bits. */
  public static final int MIN_LENGTH = 16;
  /** Longer tokens could not be sent: the admin port's request head is limited to 8KiB. */
  public static final int MAX_LENGTH = 1024;
  /** A token file larger than this is not a token file (a log or a key, picked by mistake). */
  private static final long MAX_FILE_BYTES = 4096;

  private final byte[] secret;

  private AdminToken(byte[] secret) {
    this.secret = secret;
  }

  /**
   * Returns the token of {@code text}, whitespace at its ends removed.
   *
   * @throws IllegalArgumentException if the token is empty, shorter than {@link #MIN_LENGTH} or
   *     longer than {@link #MAX_LENGTH}, or holds a character other than visible ASCII; the
   *     message says why without showing the token
   */
  public static AdminToken of(String text) {
    String token = requireNonNull(text, "text").strip();
    if (token.isEmpty()) {
      throw new IllegalArgumentException("the file is empty");
    }
    // Visible ASCII only: a header carries bytes, so a space, a control character or a non-ASCII
    // letter would make a token that clients send differently, or cannot send, never matching.
    if (token.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
      throw new IllegalArgumentException("the token holds a space, a control character or a"
          + " character that is not ASCII");
    }
    if (token.length() < MIN_LENGTH || token.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("the token is " + token.length() + " characters long");
    }
    return new AdminToken(token.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Reads the token of {@code file}: its whole text, whitespace and line breaks at the ends
   * removed (so that {@code echo ... > file} works).
   *
   * @throws IllegalArgumentException if the file is missing, unreadable or too large, or its
   *     token is refused by {@link #of}; the message says why without showing the token
   */
  public static AdminToken read(Path file) {
    String text;
    try {
      if (Files.isDirectory(file)) {
        throw new IllegalArgumentException("it is a directory");
      }
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new IllegalArgumentException("the file is larger than 4KiB");
      }
      // ISO-8859-1 never fails to decode; any byte that is not ASCII is then refused by of().
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such file");
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException("permission denied");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read it: " + e);
    }
    return of(text);
  }

  /**
   * Whether {@code presented} is this token. The time taken depends on the length of
   * {@code presented} only, never on the secret, so that timing the answers does not reveal it.
   *
   * @param presented the token a client sent, or null for none
   */
  public boolean matches(@Nullable String presented) {
    if (presented == null) {
      return false;
    }
    // isEqual loops over its first argument whatever the second: the client's bytes go first.
    return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), secret);
  }

  /** Masks the secret: configurations are printed in logs and test failures. */
  @Override
  public String toString() {
    return "AdminToken[***]";
  }

  /** Equal tokens have the same secret (compared in constant time), as records expect. */
  @Override
  public boolean equals(Object other) {
    return other instanceof AdminToken token && MessageDigest.isEqual(token.secret, secret);
  }

  /** The same for every token: a hash of the secret would be one more thing to leak. */
  @Override
  public int hashCode() {
    return AdminToken.class.hashCode();
  }
}
