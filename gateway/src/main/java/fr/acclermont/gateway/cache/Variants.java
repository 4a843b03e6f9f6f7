package fr.acclermont.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What each URL's responses vary on (RFC 9111 4.1): the request header fields their {@code Vary}
 * names, learnt from the origin, so that a request is looked up under the key of its own variant.
 * A URL not known to vary is looked up under its primary key. The answer that reveals (or
 * changes) a URL's {@code Vary} teaches it and is stored at once under the key of the request that
 * brought it ({@link #storageKey}, {@link #taught}): clients that waited for that answer with the same variant read
 * it, the others look their own variant up ({@link fr.acclermont.gateway.origin.PendingObject}).
 * {@code Vary: *} is never stored ({@link CachePolicy#whyNotStorable}).
 *
 * <p>{@code Vary} is read as RFC 9111 4.1 says: field names in any case, on one line or several,
 * repeated, with empty list elements and whitespace anywhere it is allowed; a {@code *} among the
 * names stands for all of them ({@code Vary: *} never matches, so it is never stored).
 *
 * <p>Request values are normalized so that requests that differ only in ways their fields'
 * syntax or semantics make insignificant share a variant (4.1: a cache may normalize): field
 * lines joined, whitespace around commas removed. The list fields of content negotiation are
 * read element by element: empty elements dropped, whitespace around {@code ;} removed, and
 * the case of what is case-insensitive lowered ({@code Accept-Language} and
 * {@code Accept-Charset} whole, an {@code Accept} media range and its parameter names).
 * {@code Accept-Encoding} is reduced to the sorted set of codings it accepts, case-insensitive
 * ({@code x-gzip} is {@code gzip}, RFC 9110 8.4.1.3), its q-values other than 0 ignored, so
 * {@code gzip, deflate, br} and {@code br;q=1.0, gzip, deflate} are one variant; {@code identity},
 * acceptable unless refused, is implied, and a refused one is kept ({@code identity;q=0}). A field
 * absent from a request matches only its absence (4.1): a field present but empty (an
 * {@code Accept-Encoding} that accepts no coding, which asks for the identity) is {@code ""}.
 *
 * <p>Capped per URL ({@code cache.max-variants}): beyond that many stored variants of one URL, a
 * new variant is not stored ({@link #admit}, {@link #full}) but passed through, so that a client
 * sending random values of a field the URL varies on (an {@code Accept-Language} of its own each
 * time) cannot fill the cache with copies of one URL; the variants stored stay, and stay hits.
 *
 * <p>Thread-safe. Bounded: a URL forgotten here is looked up under its primary key (a miss) and
 * learnt again.
 */
public final class Variants {

  /** URLs that vary kept at most; beyond that the least used are learnt again on their next miss. */
  private static final long MAX_URLS = 100_000;

  /**
   * What one URL varies on, the variants looked up so far (to invalidate them all) and those stored
   * under these names (to cap them; the ones no longer held are pruned when the cap is reached).
   */
  private record Entry(List<String> names, Set<CacheKey> keys, Set<CacheKey> stored) {
    Entry(List<String> names, Set<CacheKey> keys) {
      this(names, keys, ConcurrentHashMap.newKeySet());
    }
  }

  /** Compiled once: these run on the hit path of every URL that varies (nginx's gzip_vary). */
  private static final Pattern SPACES_AROUND_COMMAS = Pattern.compile("\\s*,\\s*");
  private static final Pattern Q_ZERO = Pattern.compile("0(\\.0{0,3})?");
  /** The names of {@code Vary: *}. */
  private static final List<String> STAR = List.of("*");
  /** The normalized value of a request field present but empty, unlike an absent one (""). */
  private static final String PRESENT_BUT_EMPTY = "\"\"";

  private final Cache<CacheKey, Entry> byUrl = Caffeine.newBuilder().maximumSize(MAX_URLS).build();
  private final int maxVariants;
  /** Variants looked up beyond this many per URL are not listed (they are not stored either). */
  private final int maxListed;
  private final AtomicLong refused = new AtomicLong();

  /** With the default cap of 32 stored variants per URL (tests, benchmarks). */
  public Variants() {
    this(32);
  }

  /** @param maxVariants the stored variants of one URL at most ({@code cache.max-variants}) */
  public Variants(int maxVariants) {
    if (maxVariants < 1) {
      throw new IllegalArgumentException("maxVariants " + maxVariants);
    }
    this.maxVariants = maxVariants;
    this.maxListed = Math.max(64, maxVariants * 4);
  }

  /** The key to look {@code primary} up under for a request with {@code requestHeaders}. */
  public CacheKey keyFor(CacheKey primary, HttpHeaders requestHeaders) {
    Entry entry = byUrl.getIfPresent(primary);
    if (entry == null) {
      return primary;
    }
    CacheKey key = primary.withVariant(variant(entry.names(), requestHeaders));
    if (entry.keys().size() < maxListed) {
      // Bounded: random values of a varying field would otherwise grow the list without end. A key
      // left out is not stored (the cap refuses it), so invalidation loses nothing it needs.
      entry.keys().add(key);
    }
    return key;
  }

  /**
   * Whether a request looked up as {@code key} (a miss) belongs to a URL whose stored variants
   * reached the cap, {@code key} not among them: its answer would be refused, so the request is
   * passed through at once instead of probed. {@code held} tells whether a stored variant is still
   * held (in memory or on disk); those no longer held are pruned first. Counts nothing.
   */
  public boolean full(CacheKey key, Predicate<CacheKey> held) {
    if (key.variant().isEmpty()) {
      return false;
    }
    Entry entry = byUrl.getIfPresent(key.primary());
    if (entry == null || entry.stored().contains(key) || entry.stored().size() < maxVariants) {
      return false;
    }
    entry.stored().removeIf(held.negate());
    return entry.stored().size() >= maxVariants;
  }

  /**
   * Takes a place among the stored variants of its URL for {@code candidate}, a response about to be
   * stored, or refuses it (counted in {@link #refused}): when its URL already holds the most variants
   * allowed under the same {@code Vary} names, none of them {@code candidate}'s key, and each still
   * {@code held}. A response that teaches the URL (its first, or a new {@code Vary}) is always
   * admitted. Atomic per URL.
   */
  public boolean admit(StoredObject candidate, Predicate<CacheKey> held) {
    CacheKey key = candidate.key();
    if (key.variant().isEmpty()) {
      return true;
    }
    Entry entry = byUrl.getIfPresent(key.primary());
    if (entry == null || !entry.names().equals(names(candidate.headers()))) {
      return true;
    }
    synchronized (entry) {
      Set<CacheKey> stored = entry.stored();
      if (stored.contains(key)) {
        return true;
      }
      if (stored.size() >= maxVariants) {
        stored.removeIf(held.negate());
      }
      if (stored.size() >= maxVariants) {
        refused.incrementAndGet();
        return false;
      }
      stored.add(key);
      return true;
    }
  }

  /** Counts a variant passed through because its URL holds the most variants allowed. */
  public void refusedOne() {
    refused.incrementAndGet();
  }

  /** Variants not stored because their URL held the most allowed ({@code gateway_cache_variants_refused_total}). */
  public long refused() {
    return refused.get();
  }

  /** The stored variants of a URL as counted for the cap (tests). */
  int storedCount(CacheKey primary) {
    Entry entry = byUrl.getIfPresent(primary);
    return entry == null ? 0 : entry.stored().size();
  }

  /**
   * The key a response whose {@code Vary} names {@code varyNames} is stored under, fetched for a
   * request with {@code requestHeaders} and looked up as {@code key}: the URL's key with the
   * request's variant for those names. Pure: what the URL varies on is learnt by {@link #taught}
   * once the response is in the store.
   */
  public static CacheKey storageKey(CacheKey key, HttpHeaders requestHeaders, List<String> varyNames) {
    return key.primary().withVariant(variant(varyNames, requestHeaders));
  }

  /**
   * Learns what a URL varies on from {@code stored}, a response just put in the store under its
   * {@link #storageKey} and about to be published: its {@code Vary} names replace those known for
   * the URL (none: the URL no longer varies), so every later request is looked up under the key of
   * its own variant. Called after the store has it, never before: a request keyed by what is
   * learnt here must find the object, not miss it and send a probe of its own while the one that
   * brought it is being published.
   */
  public void taught(StoredObject stored) {
    CacheKey primary = stored.key().primary();
    List<String> names = names(stored.headers());
    if (names.isEmpty()) {
      byUrl.invalidate(primary);
      return;
    }
    Entry known = byUrl.asMap().compute(primary, (url, entry) -> entry != null && entry.names().equals(names)
        ? entry
        // New or changed names; the variants looked up so far stay listed for invalidation.
        : new Entry(names, entry != null ? entry.keys() : ConcurrentHashMap.newKeySet()));
    known.keys().add(stored.key());
    known.stored().add(stored.key());
  }

  /**
   * Learns what a stored variant's URL varies on: its {@code Vary} names, from a copy found on disk
   * at start-up. Without it, after a restart each such URL would be looked up under its primary
   * key until the origin revealed its {@code Vary} again: while the origin is unreachable (a power
   * cut during an uplink outage), a book's assets stored per {@code Accept-Encoding} would not be
   * served at all. What was learnt since start-up wins over what is found.
   */
  public void learn(StoredObject stored) {
    CacheKey key = stored.key();
    List<String> names = names(stored.headers());
    if (key.variant().isEmpty() || names.isEmpty() || names.contains("*")) {
      return;
    }
    Entry entry = byUrl.get(key.primary(), url -> new Entry(names, ConcurrentHashMap.newKeySet()));
    if (entry.names().equals(names)) {
      entry.keys().add(key);
      entry.stored().add(key);
    }
  }

  /** Forgets what {@code primary} varies on; returns the variant keys looked up so far. */
  public Set<CacheKey> forget(CacheKey primary) {
    Entry entry = byUrl.asMap().remove(primary);
    return entry == null ? Set.of() : entry.keys();
  }

  /**
   * Makes a response in a content coding vary on {@code Accept-Encoding} when its origin did not
   * say so: stored under one key for every request, a gzip body would be served to a client that
   * never asked for gzip (RFC 9110 12.5.3). The field is added to the stored headers, so clients,
   * caches downstream and the disk copy (relearnt at start-up) all see it. {@code Vary: *} is left
   * alone: it is never stored anyway.
   */
  public static void varyOnCoding(HttpHeaders responseHeaders) {
    String coding = responseHeaders.get(HttpHeaderNames.CONTENT_ENCODING);
    if (coding == null || coding.isBlank() || coding.trim().equalsIgnoreCase("identity")) {
      return;
    }
    List<String> names = names(responseHeaders);
    if (!names.contains("accept-encoding") && !names.contains("*")) {
      responseHeaders.add(HttpHeaderNames.VARY, "Accept-Encoding");
    }
  }

  /**
   * The field names a response's {@code Vary} lists, on all its lines: lowercase, sorted, distinct,
   * empty elements skipped; just {@code *} when {@code *} is among them (it names every field).
   */
  public static List<String> names(HttpHeaders responseHeaders) {
    if (!responseHeaders.contains(HttpHeaderNames.VARY)) {
      return List.of();
    }
    Set<String> names = new TreeSet<>();
    for (String line : responseHeaders.getAll(HttpHeaderNames.VARY)) {
      for (String name : line.split(",")) {
        String trimmed = name.strip();
        if (trimmed.equals("*")) {
          return STAR;
        }
        if (!trimmed.isEmpty()) {
          names.add(trimmed.toLowerCase(Locale.ROOT));
        }
      }
    }
    return List.copyOf(names);
  }

  /** The variant of a request for {@code names}: one {@code name: value} line per name. */
  static String variant(List<String> names, HttpHeaders requestHeaders) {
    if (names.isEmpty()) {
      return "";
    }
    StringBuilder variant = new StringBuilder();
    for (String name : names) {
      if (!variant.isEmpty()) {
        variant.append('\n');
      }
      variant.append(name).append(": ").append(normalized(name, requestHeaders.getAll(name)));
    }
    return variant.toString();
  }

  /**
   * A request field's value, normalized: "" when absent, {@code ""} (two quotes) when present but
   * empty once normalized, so that an absent field only matches its absence (RFC 9111 4.1).
   */
  private static String normalized(String name, List<String> lines) {
    if (lines.isEmpty()) {
      return "";
    }
    String joined = lines.stream().map(String::strip).collect(Collectors.joining(","));
    String value = switch (name) {
      case "accept-encoding" -> codings(joined);
      case "accept-language", "accept-charset" -> elements(joined, true);
      case "accept" -> elements(joined, false);
      default -> SPACES_AROUND_COMMAS.matcher(joined).replaceAll(",");
    };
    return value.isEmpty() ? PRESENT_BUT_EMPTY : value;
  }

  /**
   * A list field's elements (RFC 9110 5.6.1), in order, joined by commas: empty ones dropped,
   * whitespace around {@code ;} and commas removed (never inside a quoted string), lowercased
   * outside quoted strings when {@code caseInsensitive}, else only the part before each
   * {@code =} (a media range and parameter names, not parameter values).
   */
  static String elements(String list, boolean caseInsensitive) {
    StringBuilder out = new StringBuilder(list.length());
    StringBuilder element = new StringBuilder();
    boolean quoted = false;
    boolean escaped = false;
    boolean inValue = false;
    for (int i = 0; i <= list.length(); i++) {
      char c = i < list.length() ? list.charAt(i) : ',';
      if (quoted) {
        element.append(c);
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          quoted = false;
        }
        continue;
      }
      switch (c) {
        case '"' -> {
          quoted = true;
          element.append(c);
        }
        case ',' -> {
          String done = element.toString().strip();
          if (!done.isEmpty()) {
            if (!out.isEmpty()) {
              out.append(',');
            }
            out.append(done);
          }
          element.setLength(0);
          inValue = false;
        }
        case ';' -> {
          stripTrailing(element);
          element.append(';');
          inValue = false;
          i = skipWhitespace(list, i + 1) - 1;
        }
        case '=' -> {
          element.append('=');
          inValue = true;
        }
        default -> element.append(caseInsensitive || !inValue ? Character.toLowerCase(c) : c);
      }
    }
    return out.toString();
  }

  private static void stripTrailing(StringBuilder sb) {
    int end = sb.length();
    while (end > 0 && (sb.charAt(end - 1) == ' ' || sb.charAt(end - 1) == '\t')) {
      end--;
    }
    sb.setLength(end);
  }

  private static int skipWhitespace(String s, int from) {
    int i = from;
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  /**
   * The sorted codings an {@code Accept-Encoding} accepts (RFC 9110 12.5.3), case-insensitive,
   * {@code x-gzip} and {@code x-compress} as {@code gzip} and {@code compress}. {@code identity} is
   * acceptable unless refused ({@code identity;q=0}, or {@code *;q=0} without it): left out when
   * acceptable, {@code identity;q=0} at the end when refused. Empty: only the identity.
   */
  private static String codings(String acceptEncoding) {
    Set<String> codings = new TreeSet<>();
    boolean identityRefused = false;
    boolean allRefused = false;
    for (String part : acceptEncoding.split(",")) {
      String[] pieces = part.split(";");
      String coding = coding(pieces[0].strip().toLowerCase(Locale.ROOT));
      if (coding.isEmpty()) {
        continue;
      }
      if (!refused(pieces)) {
        codings.add(coding);
      } else if (coding.equals("identity")) {
        identityRefused = true;
      } else if (coding.equals("*")) {
        allRefused = true;
      }
    }
    identityRefused |= allRefused && !codings.contains("identity");
    codings.remove("identity");
    String accepted = String.join(",", codings);
    if (!identityRefused) {
      return accepted;
    }
    return accepted.isEmpty() ? "identity;q=0" : accepted + ",identity;q=0";
  }

  /** A coding's name, its {@code x-} alias made the registered name (RFC 9110 8.4.1.1, 8.4.1.3). */
  private static String coding(String name) {
    return switch (name) {
      case "x-gzip" -> "gzip";
      case "x-compress" -> "compress";
      default -> name;
    };
  }

  private static boolean refused(String[] pieces) {
    for (int i = 1; i < pieces.length; i++) {
      String parameter = pieces[i].trim().toLowerCase(Locale.ROOT);
      if (parameter.startsWith("q=") && qZero(parameter.substring(2))) {
        return true;
      }
    }
    return false;
  }

  private static boolean qZero(String q) {
    return Q_ZERO.matcher(q).matches();
  }

  /** The names of a URL known to vary, or null (tests). */
  @Nullable List<String> namesOf(CacheKey primary) {
    Entry entry = byUrl.getIfPresent(primary);
    return entry == null ? null : entry.names();
  }
}
