package fr.acclermont.gateway.config;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;

/**
 * One key of a signed-URL rule: the id a link names in {@code kid} and the HMAC-SHA256 secret,
 * read from its file at start-up. {@link #toString} never shows the secret (a config dumped in a
 * log must not leak it). Two keys are equal when their ids and secrets are, so that two loads of
 * the same file give equal configurations (a reload compares them). Immutable: {@link #secret}
 * returns a copy.
 *
 * @param id the key id, as links carry it in {@code kid}
 * @param secret the secret bytes (the file's text, UTF-8, without surrounding white space)
 */
public record SigningKeyConfig(String id, byte[] secret) {

  /** Secrets shorter than this are guessable: refused at start-up. */
  public static final int MIN_SECRET_BYTES = 16;

  /** Copies the secret. */
  public SigningKeyConfig {
    requireNonNull(id, "id");
    secret = requireNonNull(secret, "secret").clone();
  }

  @Override
  public byte[] secret() {
    return secret.clone();
  }

  /** Equal keys have the same id and secret; the secrets are compared in constant time. */
  @Override
  public boolean equals(Object other) {
    return other instanceof SigningKeyConfig key && key.id.equals(id) && MessageDigest.isEqual(key.secret, secret);
  }

  /** The id's hash only: a hash of the secret would be one more thing to leak. */
  @Override
  public int hashCode() {
    return id.hashCode();
  }

  /** Shows the id and the secret's length, never the secret. */
  @Override
  public String toString() {
    return "SigningKeyConfig[id=" + id + ", secret=(" + secret.length + " bytes)]";
  }
}
