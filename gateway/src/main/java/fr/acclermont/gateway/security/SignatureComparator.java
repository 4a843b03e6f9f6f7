package fr.acclermont.gateway.security;

import java.security.MessageDigest;

/**
 * Compares a signature a client sent with the one computed, in time that does not depend on where
 * they differ: a comparison that stops at the first wrong byte tells an attacker, by its timing,
 * how many leading bytes of a forged signature are right, and lets them find one byte at a time.
 * {@link MessageDigest#isEqual} is constant-time for arrays of equal length (since JDK 6u17); arrays
 * of different lengths return at once, which reveals only the length, and that is public (32 bytes).
 */
public final class SignatureComparator {

  private SignatureComparator() {}

  /** Whether the two signatures are equal, compared in constant time. */
  public static boolean same(byte[] expected, byte[] given) {
    return MessageDigest.isEqual(expected, given);
  }
}
