package fr.acclermont.gateway.server;

import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The names of the request header fields that browsers and the usual clients send, each one
 * {@link AsciiString} shared by every request that sends the name spelt exactly so: the decoder
 * copies a name it does not find here into a new one per field and per request (Netty's own
 * decoder knows only {@code Host}, {@code Accept}, {@code Connection}, {@code Content-Type} and
 * {@code Content-Length}). Only an exact match is taken, case included, so a request forwarded to
 * the origin keeps its client's spelling. Immutable; thread-safe.
 */
final class RequestHeaderNames {

  /** Indexed by length: the names of that length. */
  private static final AsciiString[][] BY_LENGTH = byLength(Stream.of(
      "User-Agent", "Accept-Encoding", "Accept-Language", "Accept-Charset", "Referer", "Origin", "Cookie",
      "Authorization", "Cache-Control", "Pragma", "Range", "If-Range", "If-None-Match", "If-Modified-Since",
      "If-Match", "If-Unmodified-Since", "Upgrade-Insecure-Requests", "DNT", "Priority", "TE",
      "Sec-Fetch-Dest", "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-User", "Sec-CH-UA", "Sec-CH-UA-Mobile",
      "Sec-CH-UA-Platform", "X-Requested-With", "X-Forwarded-For", "Via", "Expect", "Transfer-Encoding",
      "Keep-Alive", "Upgrade")
      .map(AsciiString::cached).toList());

  private RequestHeaderNames() {
  }

  private static AsciiString[][] byLength(List<AsciiString> names) {
    int longest = names.stream().mapToInt(AsciiString::length).max().orElse(0);
    List<List<AsciiString>> lists = new ArrayList<>();
    for (int i = 0; i <= longest; i++) {
      lists.add(new ArrayList<>());
    }
    names.forEach(name -> lists.get(name.length()).add(name));
    return lists.stream().map(list -> list.toArray(new AsciiString[0])).toArray(AsciiString[][]::new);
  }

  /** The shared name spelt as {@code bytes[start, start + length)}, or null when there is none. */
  static @Nullable AsciiString find(byte[] bytes, int start, int length) {
    if (length >= BY_LENGTH.length) {
      return null;
    }
    for (AsciiString name : BY_LENGTH[length]) {
      if (sameBytes(name, bytes, start)) {
        return name;
      }
    }
    return null;
  }

  private static boolean sameBytes(AsciiString name, byte[] bytes, int start) {
    byte[] own = name.array();
    int offset = name.arrayOffset();
    for (int i = 0; i < name.length(); i++) {
      if (own[offset + i] != bytes[start + i]) {
        return false;
      }
    }
    return true;
  }
}
