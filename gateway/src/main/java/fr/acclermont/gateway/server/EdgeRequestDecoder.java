package fr.acclermont.gateway.server;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Netty's request decoder, with the header names a browser or a tablet sends shared rather than
 * built per request (issue #21, allocation per hit): {@code HttpRequestDecoder} makes a new
 * {@link AsciiString} and byte array for every header line whose name is not one of the five it
 * knows (about 80 bytes per line: 470 of a browser's memory hit's 2,850, allocation guard). Here a name
 * whose bytes are exactly one of {@link #KNOWN} (in its usual spelling or all in lower case) is
 * that shared constant; any other name, or a known one in another case, goes to Netty as before.
 *
 * <p>Only {@link #splitHeaderName} is overridden, so every check of Netty's decoder and of the
 * headers it fills still applies (and the fixes of later Netty versions reach us): the name
 * returned holds exactly the bytes received, so a header is validated, looked up and forwarded as
 * with Netty's own name. Event loop only, like any decoder.
 */
class EdgeRequestDecoder extends HttpRequestDecoder {

  /**
   * The names shared, in the spelling browsers send over HTTP/1.1; {@link #NAMES_BY_LENGTH} adds
   * each one's lower-case spelling (curl, libraries, HTTP/2 translations).
   */
  static final String[] KNOWN = {
      "Host", "User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "Accept-Charset", "Connection",
      "Keep-Alive", "Referer", "Cookie", "Authorization", "Range", "If-Range", "If-None-Match", "If-Match",
      "If-Modified-Since", "If-Unmodified-Since", "Cache-Control", "Pragma", "Origin", "Content-Length",
      "Content-Type", "Transfer-Encoding", "Expect", "TE", "Upgrade", "Via", "DNT", "Priority", "Purpose",
      "Sec-Purpose", "Save-Data", "Upgrade-Insecure-Requests", "Sec-Fetch-Dest", "Sec-Fetch-Mode",
      "Sec-Fetch-Site", "Sec-Fetch-User", "Sec-GPC", "Sec-CH-UA", "Sec-CH-UA-Mobile", "Sec-CH-UA-Platform",
      "X-Requested-With", "X-Forwarded-For", "X-Forwarded-Proto", "Access-Control-Request-Method",
      "Access-Control-Request-Headers"};

  /** The shared names by their length in bytes, for a lookup that compares few candidates. */
  private static final AsciiString[][] NAMES_BY_LENGTH = namesByLength();

  EdgeRequestDecoder(HttpDecoderConfig config) {
    super(config);
  }

  @Override
  protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
    AsciiString known = known(sb, start, length);
    return known != null ? known : super.splitHeaderName(sb, start, length);
  }

  /** The shared name whose bytes are exactly {@code sb[start, start + length)}, or null. */
  static AsciiString known(byte[] sb, int start, int length) {
    if (length >= NAMES_BY_LENGTH.length) {
      return null;
    }
    for (AsciiString candidate : NAMES_BY_LENGTH[length]) {
      if (sameBytes(candidate, sb, start, length)) {
        return candidate;
      }
    }
    return null;
  }

  private static boolean sameBytes(AsciiString name, byte[] sb, int start, int length) {
    byte[] bytes = name.array();
    int offset = name.arrayOffset();
    for (int i = length - 1; i >= 0; i--) { // from the end: names share their first bytes more often
      if (bytes[offset + i] != sb[start + i]) {
        return false;
      }
    }
    return true;
  }

  private static AsciiString[][] namesByLength() {
    int longest = 0;
    for (String name : KNOWN) {
      longest = Math.max(longest, name.length());
    }
    List<List<AsciiString>> byLength = new ArrayList<>();
    for (int i = 0; i <= longest; i++) {
      byLength.add(new ArrayList<>());
    }
    for (String name : KNOWN) {
      byLength.get(name.length()).add(AsciiString.cached(name));
      String lower = name.toLowerCase(Locale.ROOT);
      if (!lower.equals(name)) {
        byLength.get(name.length()).add(AsciiString.cached(lower));
      }
    }
    AsciiString[][] table = new AsciiString[longest + 1][];
    for (int i = 0; i <= longest; i++) {
      table[i] = byLength.get(i).toArray(new AsciiString[0]);
    }
    return table;
  }
}
