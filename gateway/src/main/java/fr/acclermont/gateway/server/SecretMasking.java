package fr.acclermont.gateway.server;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Masks the secrets a request target may carry, for the access log: the value of every query
 * parameter whose name looks like a secret becomes {@code ***}, and so does the user information
 * of an absolute-form target ({@code http://user:password@host/...}). A pure function, thread-safe.
 *
 * <p>A parameter's name is percent-decoded ({@code +} read as a space) and lower-cased, and the last
 * bracketed part of names such as {@code user[password]} or {@code token[]} is what is compared. It
 * looks like a secret when it ends with one of {@link #SECRET_NAMES}: {@code token},
 * {@code access_token}, {@code x-amz-signature}, {@code apikey} and {@code sessionid} all do. Masking
 * too much only hides harmless values ({@code monkey=...}); masking too little would leak. Every
 * occurrence of a repeated parameter is masked; a parameter without a value ({@code ?token}) or with
 * an empty one ({@code token=}) has nothing to mask and is left as it is. Parameters are separated by
 * {@code &} or {@code ;}. A fragment (a client should never send one; the gateway refuses it with
 * 400, and logs the refusal) is masked like a query, since OAuth puts tokens there. Everything else
 * is kept byte for byte.
 */
final class SecretMasking {

  /** What a masked value becomes. */
  static final String MASK = "***";

  /** The name endings that mark a parameter as a secret, lower case. */
  static final List<String> SECRET_NAMES = List.of("token", "access_token", "auth", "key", "apikey", "api_key",
      "signature", "sig", "password", "passwd", "secret", "session", "sessionid", "sessid", "jwt", "credential");

  private SecretMasking() {
  }

  /** The request target with its secrets masked. */
  static String target(String target) {
    if (target.startsWith("/") && target.indexOf('?') < 0 && target.indexOf('#') < 0) {
      return target; // no query, no fragment, no user information: nothing to mask, nothing to copy
    }
    int fragment = target.indexOf('#');
    String beforeFragment = fragment < 0 ? target : target.substring(0, fragment);
    int query = beforeFragment.indexOf('?');
    String path = query < 0 ? beforeFragment : beforeFragment.substring(0, query);
    StringBuilder out = new StringBuilder(target.length() + 8);
    out.append(maskUserInfo(path));
    if (query >= 0) {
      out.append('?');
      appendParameters(out, beforeFragment, query + 1, beforeFragment.length());
    }
    if (fragment >= 0) {
      out.append('#');
      appendParameters(out, target, fragment + 1, target.length());
    }
    return out.toString();
  }

  /** Whether a parameter named {@code rawName} (as written, percent-encoded) holds a secret. */
  static boolean isSecret(String rawName) {
    String name = decode(rawName).toLowerCase(Locale.ROOT).trim();
    while (name.endsWith("[]")) {
      name = name.substring(0, name.length() - 2);
    }
    int open = name.lastIndexOf('[');
    if (name.endsWith("]") && open >= 0) {
      name = name.substring(open + 1, name.length() - 1);
    }
    for (String secret : SECRET_NAMES) {
      if (name.endsWith(secret)) {
        return true;
      }
    }
    return false;
  }

  /** Appends {@code text[from, to)}, a list of parameters, with the secret values masked. */
  private static void appendParameters(StringBuilder out, String text, int from, int to) {
    int start = from;
    while (start <= to) {
      int end = start;
      int equals = -1;
      while (end < to && text.charAt(end) != '&' && text.charAt(end) != ';') {
        if (equals < 0 && text.charAt(end) == '=') {
          equals = end;
        }
        end++;
      }
      if (equals >= 0 && equals + 1 < end && isSecret(text.substring(start, equals))) {
        out.append(text, start, equals + 1).append(MASK);
      } else {
        out.append(text, start, end);
      }
      if (end < to) {
        out.append(text.charAt(end));
      }
      start = end + 1;
    }
  }

  /** {@code scheme://user:password@host/path} becomes {@code scheme://***@host/path}. */
  private static String maskUserInfo(String path) {
    int scheme = path.indexOf("://");
    if (path.startsWith("/") || scheme < 0) {
      return path;
    }
    int authorityStart = scheme + 3;
    int authorityEnd = path.indexOf('/', authorityStart);
    if (authorityEnd < 0) {
      authorityEnd = path.length();
    }
    int at = path.lastIndexOf('@', authorityEnd - 1);
    if (at < authorityStart) {
      return path;
    }
    return path.substring(0, authorityStart) + MASK + path.substring(at);
  }

  /** Percent-decodes {@code text} leniently: a malformed escape stays as written. */
  private static String decode(String text) {
    if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
      return text;
    }
    byte[] bytes = new byte[text.length()];
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
      int low = high >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
      if (c == '%' && low >= 0) {
        bytes[n++] = (byte) (high << 4 | low);
        i += 2;
      } else if (c == '+') {
        bytes[n++] = ' ';
      } else if (c < 0x80) {
        bytes[n++] = (byte) c;
      } else {
        bytes[n++] = '?'; // not in a valid request target; only ASCII names can match
      }
    }
    return new String(bytes, 0, n, StandardCharsets.UTF_8);
  }
}
