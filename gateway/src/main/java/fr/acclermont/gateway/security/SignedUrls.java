package fr.acclermont.gateway.security;

import fr.acclermont.gateway.config.SigningKeyConfig;
import fr.acclermont.gateway.metrics.DenialReason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Verifies signed links. A link carries four query parameters: {@code exp}, its expiry in Unix
 * seconds; {@code grp}, an optional claim (a class or group id); {@code kid}, the id of the key
 * that signed it (optional: without it, any active key may match); and {@code sig}, the base64url
 * HMAC-SHA256, under that key's secret, of {@code path + "\n" + exp + "\n" + grp} ({@code grp}
 * empty when absent), where {@code path} is the request path exactly as sent, before {@code ?}.
 *
 * <p>The signature is checked before the expiry, so a tampered expiry reads as a bad signature and
 * only a genuine link reads as expired. The four parameters are no part of what is stored:
 * {@link #unsigned} removes them, so every pupil's link to a page finds one stored copy.
 * Thread-safe: each thread keeps its own {@link Mac}s.
 */
public final class SignedUrls {

  /** The query parameters a signed link adds, removed from the cache key and the origin's target. */
  static final List<String> PARAMETERS = List.of("exp", "grp", "kid", "sig");
  private static final String ALGORITHM = "HmacSHA256";
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,12}");
  private static final Pattern CLAIM = Pattern.compile("[A-Za-z0-9._~-]{1,128}");
  private static final int SIGNATURE_BYTES = 32;

  private final List<SigningKeyConfig> keys;
  private final long skewSeconds;
  private final Clock clock;
  private final ThreadLocal<Mac[]> macs;

  /** A verifier of links signed by one of {@code keys}, accepted up to {@code skew} past their expiry. */
  public SignedUrls(List<SigningKeyConfig> keys, Duration skew, Clock clock) {
    this.keys = List.copyOf(keys);
    this.skewSeconds = skew.toSeconds();
    this.clock = clock;
    this.macs = ThreadLocal.withInitial(() -> {
      Mac[] result = new Mac[this.keys.size()];
      for (int i = 0; i < result.length; i++) {
        result[i] = mac(this.keys.get(i).secret());
      }
      return result;
    });
  }

  /** Null when the link is valid now; otherwise why not. */
  public @Nullable DenialReason check(String pathAndQuery) {
    int question = pathAndQuery.indexOf('?');
    if (question < 0) {
      return DenialReason.MISSING;
    }
    String[] values = new String[PARAMETERS.size()];
    for (String parameter : pathAndQuery.substring(question + 1).split("&")) {
      int equals = parameter.indexOf('=');
      int index = PARAMETERS.indexOf(equals < 0 ? parameter : parameter.substring(0, equals));
      if (index < 0) {
        continue;
      }
      if (values[index] != null) {
        return DenialReason.MALFORMED; // two of one: which one a later reader takes is anyone's guess
      }
      values[index] = equals < 0 ? "" : parameter.substring(equals + 1);
    }
    String exp = values[0];
    String grp = values[1];
    String kid = values[2];
    String sig = values[3];
    if (exp == null || sig == null) {
      return DenialReason.MISSING;
    }
    byte[] given;
    try {
      given = Base64.getUrlDecoder().decode(sig);
    } catch (IllegalArgumentException e) {
      return DenialReason.MALFORMED;
    }
    if (!DIGITS.matcher(exp).matches() || (grp != null && !CLAIM.matcher(grp).matches())
        || given.length != SIGNATURE_BYTES) {
      return DenialReason.MALFORMED;
    }
    byte[] message = message(pathAndQuery.substring(0, question), exp, grp);
    Mac[] byKey = macs.get();
    boolean signed = false;
    boolean known = kid == null;
    for (int i = 0; i < byKey.length; i++) {
      if (kid != null && !kid.equals(keys.get(i).id())) {
        continue;
      }
      known = true;
      // Every candidate key is computed and compared, so the time taken says nothing of which matched.
      signed |= SignatureComparator.same(byKey[i].doFinal(message), given);
    }
    if (!known) {
      return DenialReason.UNKNOWN_KEY;
    }
    if (!signed) {
      return DenialReason.BAD_SIGNATURE;
    }
    return Long.parseLong(exp) + skewSeconds < clock.millis() / 1000 ? DenialReason.EXPIRED : null;
  }

  /**
   * {@code pathAndQuery} without the signed-link parameters (and without a {@code ?} left empty):
   * the target that is stored and fetched.
   */
  public static String unsigned(String pathAndQuery) {
    int question = pathAndQuery.indexOf('?');
    if (question < 0) {
      return pathAndQuery;
    }
    StringBuilder out = new StringBuilder(pathAndQuery.length()).append(pathAndQuery, 0, question);
    char separator = '?';
    for (String parameter : pathAndQuery.substring(question + 1).split("&")) {
      int equals = parameter.indexOf('=');
      if (parameter.isEmpty() || PARAMETERS.contains(equals < 0 ? parameter : parameter.substring(0, equals))) {
        continue;
      }
      out.append(separator).append(parameter);
      separator = '&';
    }
    return out.toString();
  }

  /**
   * Signs a link as the cloud does: the query to append to {@code path} ({@code exp}, {@code grp}
   * if given, {@code kid}, {@code sig}). For the demo, the tests and the example of docs/operations.md, "Licensed books: entitlement".
   */
  public static String sign(String path, long expiresAtSeconds, @Nullable String group, String keyId,
      byte[] secret) {
    String exp = Long.toString(expiresAtSeconds);
    byte[] signature = mac(secret).doFinal(message(path, exp, group));
    return "exp=" + exp + (group == null ? "" : "&grp=" + group) + "&kid=" + keyId + "&sig="
        + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
  }

  private static byte[] message(String path, String exp, @Nullable String grp) {
    return (path + "\n" + exp + "\n" + (grp == null ? "" : grp)).getBytes(StandardCharsets.UTF_8);
  }

  private static Mac mac(byte[] secret) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret, ALGORITHM));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
    }
  }
}
