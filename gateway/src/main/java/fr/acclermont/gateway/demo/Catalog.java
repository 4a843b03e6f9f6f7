package fr.acclermont.gateway.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The synthetic textbook catalog, deterministic from a seed: the same seed always yields the same
 * books, asset lists and sizes; another seed yields other sizes and asset lists.
 *
 * <p>Book ids and titles are the same for every seed, so scripts and docs can name a book.
 * Asset sizes follow a log-normal law (median about 30 KiB) clamped to 4 KiB–500 KiB; PDFs weigh
 * 100–300 MiB; the first book always has a 200–400 MiB video, the others sometimes do.
 *
 * <p>Immutable and thread-safe.
 */
public final class Catalog {

  static final ObjectMapper JSON = new ObjectMapper();

  private static final String[][] BOOKS = {
    {"maths-6e", "Mathématiques 6e"},
    {"francais-5e", "Français 5e"},
    {"histoire-geo-4e", "Histoire-Géographie 4e"},
    {"svt-3e", "Sciences de la vie et de la Terre 3e"},
  };
  private static final long KIB = 1024;
  private static final long MIB = 1024 * KIB;
  private static final int MIN_ASSETS = 200;
  private static final int EXTRA_ASSETS_MAX = 60;
  private static final long MIN_ASSET_BYTES = 4 * KIB;
  private static final long MAX_ASSET_BYTES = 500 * KIB;
  private static final double MEDIAN_ASSET_BYTES = 30 * KIB;
  private static final double ASSET_SIZE_SIGMA = 0.9;
  private static final long MIN_PDF_BYTES = 100 * MIB;
  private static final long MAX_PDF_BYTES = 300 * MIB;
  private static final long MIN_VIDEO_BYTES = 200 * MIB;
  private static final long MAX_VIDEO_BYTES = 400 * MIB;

  private final long seed;
  private final List<Book> books;

  private Catalog(long seed, List<Book> books) {
    this.seed = seed;
    this.books = List.copyOf(books);
  }

  /** Generates the catalog of {@code seed}. */
  public static Catalog generate(long seed) {
    // SplittableRandom's algorithm is specified, so a seed means the same catalog on every JDK;
    // StrictMath below keeps the size law bit-exact too.
    SplittableRandom random = new SplittableRandom(seed);
    List<Book> books = new ArrayList<>();
    for (int i = 0; i < BOOKS.length; i++) {
      books.add(book(BOOKS[i][0], BOOKS[i][1], i == 0 || random.nextBoolean(), random));
    }
    return new Catalog(seed, books);
  }

  /** Returns the seed this catalog was generated from. */
  public long seed() {
    return seed;
  }

  /** Returns every book, in catalog order. */
  public List<Book> books() {
    return books;
  }

  /** Returns the book {@code id}, if any. */
  public Optional<Book> book(String id) {
    return books.stream().filter(book -> book.id().equals(id)).findFirst();
  }

  /**
   * Returns the {@code /_origin/catalog} document: {@code {"seed":N,"books":[{"id","title",
   * "index","manifest","assetCount","assetBytes","pdf":{"path","size"},"video":{...}|null}]}}.
   */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode().put("seed", seed);
    ArrayNode array = root.putArray("books");
    for (Book book : books) {
      ObjectNode node = array.addObject()
          .put("id", book.id())
          .put("title", book.title())
          .put("index", book.indexPath())
          .put("manifest", book.manifestPath())
          .put("assetCount", book.assets().size())
          .put("assetBytes", book.assetBytes());
      node.putObject("pdf").put("path", book.pdfPath()).put("size", book.pdfSize());
      if (book.hasVideo()) {
        node.putObject("video").put("path", book.videoPath()).put("size", book.videoSize());
      } else {
        node.putNull("video");
      }
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the catalog", e);
    }
  }

  @Override
  public String toString() {
    return "Catalog{seed=" + seed + ", books=" + books.size() + "}";
  }

  private static Book book(String id, String title, boolean withVideo, SplittableRandom random) {
    String base = "/books/" + id + "/";
    int count = MIN_ASSETS + random.nextInt(EXTRA_ASSETS_MAX + 1);
    List<Asset> assets = new ArrayList<>(count);
    AssetKind[] kinds = AssetKind.values();
    for (int i = 0; i < count; i++) {
      // The first assets cover every kind, so every index page has a style sheet, a script...
      AssetKind kind = i < kinds.length ? kinds[i] : AssetKind.ofRoll(random.nextInt(100));
      assets.add(new Asset(kind.path(id, i), assetSize(random), kind.contentType()));
    }
    long pdfSize = between(random, MIN_PDF_BYTES, MAX_PDF_BYTES);
    long videoSize = withVideo ? between(random, MIN_VIDEO_BYTES, MAX_VIDEO_BYTES) : 0;
    return new Book(id, title, base + "index.html", base + "manifest.json", assets,
        base + "book.pdf", pdfSize, withVideo ? base + "video.mp4" : null, videoSize);
  }

  private static long assetSize(SplittableRandom random) {
    // Box-Muller: a standard normal from two uniforms, then exp() for the log-normal law.
    double gaussian = StrictMath.sqrt(-2 * StrictMath.log(1 - random.nextDouble()))
        * StrictMath.cos(2 * StrictMath.PI * random.nextDouble());
    long size = Math.round(MEDIAN_ASSET_BYTES * StrictMath.exp(ASSET_SIZE_SIGMA * gaussian));
    return Math.max(MIN_ASSET_BYTES, Math.min(MAX_ASSET_BYTES, size));
  }

  private static long between(SplittableRandom random, long min, long max) {
    return min + random.nextLong(max - min + 1);
  }
}
