package fr.acclermont.gateway.cache;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A stored object's header fields as an answer from the store replays them: name, value, name,
 * value... in stored order, less {@code Content-Length}, {@code Age} and {@code Cache-Status},
 * which every such answer sets itself. Taken out of the stored {@link HttpHeaders} once per stored
 * object, so that a hit's head shares this array instead of copying the header map (an entry per
 * field, a table) for each request.
 *
 * <p>Taken on the first hit, not when the object is stored: the disk index holds objects that may
 * never be asked for, and each would carry an array for nothing. Thread-safe: the pairs are
 * published through a volatile field; two racing first hits take the same pairs twice.
 */
public final class ReplayHeaders {

  /** Fields each answer from the store sets itself: the stored ones are left out, not sent twice. */
  private static final List<AsciiString> SET_PER_ANSWER =
      List.of(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.AGE, CacheStatus.HEADER);

  private final HttpHeaders headers;
  private volatile CharSequence @Nullable [] pairs;

  /** @param headers the stored fields, never mutated (as {@link StoredObject#headers}) */
  public ReplayHeaders(HttpHeaders headers) {
    this.headers = requireNonNull(headers, "headers");
  }

  /** The pairs, names at even indexes; shared by every hit of the object: never modify it. */
  public CharSequence[] pairs() {
    CharSequence[] p = pairs;
    if (p == null) {
      p = take(headers);
      pairs = p;
    }
    return p;
  }

  private static CharSequence[] take(HttpHeaders headers) {
    List<CharSequence> kept = new ArrayList<>(headers.size() * 2);
    Iterator<Map.Entry<CharSequence, CharSequence>> fields = headers.iteratorCharSequence();
    while (fields.hasNext()) {
      Map.Entry<CharSequence, CharSequence> field = fields.next();
      if (SET_PER_ANSWER.stream().noneMatch(name -> name.contentEqualsIgnoreCase(field.getKey()))) {
        kept.add(field.getKey());
        kept.add(field.getValue());
      }
    }
    return kept.toArray(new CharSequence[0]);
  }

  /** Equal when taken from equal headers: this is derived from them, and so is its owner's equality. */
  @Override
  public boolean equals(Object other) {
    return other instanceof ReplayHeaders replay && replay.headers.equals(headers);
  }

  @Override
  public int hashCode() {
    return headers.hashCode();
  }

  @Override
  public String toString() {
    return "ReplayHeaders[" + (pairs == null ? "not taken yet" : pairs.length / 2 + " fields") + "]";
  }
}
