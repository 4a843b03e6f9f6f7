package fr.acclermont.gateway.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a request path to the resource it names: the books of the catalog and the blobs.
 *
 * <p>Book resources are described up front (a few thousand small records, no content); blobs are
 * described from their path on each request. Content is always generated on demand. Immutable
 * and thread-safe once built.
 */
final class ResourceResolver {

  static final String BLOBS_PREFIX = "/blobs/";
  static final String BOOKS_PREFIX = "/books/";

  static final String ASSET_CACHE_CONTROL = "public, max-age=86400";
  static final String MANIFEST_CACHE_CONTROL = "public, max-age=300";
  static final String INDEX_CACHE_CONTROL = "public, max-age=60";
  static final String MEDIA_CACHE_CONTROL = "public, max-age=604800";
  static final String BLOB_CACHE_CONTROL = "public, max-age=3600";

  private static final Pattern BLOB_PATH =
      Pattern.compile("/blobs/(\\d{1,19})(KiB|MiB|GiB)?/(.+)", Pattern.CASE_INSENSITIVE);
  /** Every resource of a seed was "last modified" within the year after this instant. */
  private static final Instant EPOCH_OF_LAST_MODIFIED = Instant.parse("2024-09-01T06:00:00Z");
  private static final long SECONDS_PER_YEAR = Duration.ofDays(365).toSeconds();
  /** Version 2 of a resource (hook {@code version-after}) was "last modified" this much later. */
  private static final long VERSION_2_LATER_MILLIS = Duration.ofDays(1).toMillis();

  private final long seed;
  private final long lastModifiedMillis;
  private final Map<String, Resource> bookResources = new HashMap<>();

  ResourceResolver(Catalog catalog) {
    this(catalog, OriginProfile.PLAIN);
  }

  /** Describes the catalog's resources with the {@code Cache-Control} values of {@code profile}. */
  ResourceResolver(Catalog catalog, OriginProfile profile) {
    this.seed = catalog.seed();
    long offsetSeconds = Math.floorMod(SyntheticContent.mix(seed), SECONDS_PER_YEAR);
    this.lastModifiedMillis = EPOCH_OF_LAST_MODIFIED.plusSeconds(offsetSeconds).toEpochMilli();
    for (Book book : catalog.books()) {
      add(book.indexPath(), "text/html; charset=utf-8", profile.indexCacheControl(), BookPages.indexHtml(book));
      add(book.manifestPath(), "application/json", profile.manifestCacheControl(), BookPages.manifestJson(book));
      for (Asset asset : book.assets()) {
        add(asset.path(), asset.size(), asset.contentType(), profile.assetCacheControl(),
            AssetContent.asset(book, asset, seed));
      }
      add(book.pdfPath(), book.pdfSize(), "application/pdf", profile.mediaCacheControl(),
          AssetContent.pdf(book.pdfPath(), book.pdfSize(), seed));
      if (book.hasVideo()) {
        add(book.videoPath(), book.videoSize(), "video/mp4", profile.mediaCacheControl(),
            AssetContent.video(book.videoPath(), book.videoSize(), seed));
      }
    }
  }

  /** Returns whether test hooks and faults apply to {@code path}: books and blobs. */
  static boolean isContentPath(String path) {
    return path.startsWith(BOOKS_PREFIX) || path.startsWith(BLOBS_PREFIX);
  }

  /** Returns the resource at {@code path} (no query string), if any. */
  Optional<Resource> resolve(String path) {
    if (path.startsWith(BLOBS_PREFIX)) {
      return blob(path);
    }
    return Optional.ofNullable(bookResources.get(path));
  }

  /**
   * Returns version 2 of {@code first}, served after a {@code version-after} hook's first N
   * requests: the same path, length, type and {@code Cache-Control}; the bytes of
   * {@link SyntheticContent} for the name {@code path + }{@link DemoContent#VERSION_2_SUFFIX}
   * (for books too); another strong {@code ETag}; a {@code Last-Modified} one day later.
   */
  Resource version2(Resource first) {
    String name = first.path() + DemoContent.VERSION_2_SUFFIX;
    return new Resource(first.path(), first.length(), first.contentType(), first.cacheControl(),
        etag(name, first.length()), first.lastModifiedMillis() + VERSION_2_LATER_MILLIS,
        (target, offset, length) -> SyntheticContent.fill(target, name, offset, length, seed));
  }

  /** The {@code Last-Modified} instant of every resource of this seed. */
  long lastModifiedMillis() {
    return lastModifiedMillis;
  }

  /** Parses a blob size: plain bytes or a {@code KiB}/{@code MiB}/{@code GiB} multiple. */
  static long parseSize(String digits, String unit) {
    long value = Long.parseLong(digits);
    if (unit == null) {
      return value;
    }
    int shift = switch (unit.toLowerCase(Locale.ROOT)) {
      case "kib" -> 10;
      case "mib" -> 20;
      default -> 30;
    };
    if (value > (Long.MAX_VALUE >> shift)) {
      throw new NumberFormatException("size: " + digits + unit + " (expected: < 2^63 bytes)");
    }
    return value << shift;
  }

  private Optional<Resource> blob(String path) {
    Matcher matcher = BLOB_PATH.matcher(path);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    long size;
    try {
      size = parseSize(matcher.group(1), matcher.group(2));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.of(resource(path, size, "application/octet-stream", BLOB_CACHE_CONTROL,
        (target, offset, length) -> SyntheticContent.fill(target, path, offset, length, seed)));
  }

  private void add(String path, String contentType, String cacheControl, byte[] bytes) {
    add(path, bytes.length, contentType, cacheControl, ContentSource.of(bytes));
  }

  private void add(
      String path, long size, String contentType, String cacheControl, ContentSource source) {
    bookResources.put(path, resource(path, size, contentType, cacheControl, source));
  }

  private Resource resource(
      String path, long size, String contentType, String cacheControl, ContentSource source) {
    return new Resource(path, size, contentType, cacheControl, etag(path, size), lastModifiedMillis, source);
  }

  /** Strong: the bytes of (seed, name, size) never change, so equal tags mean equal bytes. */
  private String etag(String name, long size) {
    return "\"" + Long.toHexString(SyntheticContent.mix(SyntheticContent.key(name, seed) ^ size)) + "\"";
  }
}
