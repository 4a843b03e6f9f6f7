package fr.acclermont.gateway.demo;

/** The kinds of book asset, with where they live, how they are typed and how common they are. */
enum AssetKind {
  /** Style sheets, linked from the index. */
  CSS("css", "style", "css", "text/css; charset=utf-8", 4),
  /** Scripts, loaded by the index. */
  JS("js", "module", "js", "text/javascript; charset=utf-8", 12),
  /** Figures, shown by the index. */
  SVG("img", "figure", "svg", "image/svg+xml", 40),
  /** Exercise data. */
  JSON("data", "exercise", "json", "application/json", 16),
  /** Chapter pages, linked from the index. */
  HTML("pages", "chapter", "html", "text/html; charset=utf-8", 18),
  /** Audio tracks, binary filler behind an ID3 header. */
  MP3("audio", "track", "mp3", "audio/mpeg", 10);

  private static final int TOTAL_WEIGHT = 100;

  private final String directory;
  private final String stem;
  private final String extension;
  private final String contentType;
  private final int weight;

  AssetKind(String directory, String stem, String extension, String contentType, int weight) {
    this.directory = directory;
    this.stem = stem;
    this.extension = extension;
    this.contentType = contentType;
    this.weight = weight;
  }

  String contentType() {
    return contentType;
  }

  /** The path of the asset number {@code index} of this kind in the book {@code bookId}. */
  String path(String bookId, int index) {
    return String.format("/books/%s/assets/%s/%s-%03d.%s", bookId, directory, stem, index, extension);
  }

  /** Picks a kind for {@code roll} in {@code [0, 100)}, following the weights. */
  static AssetKind ofRoll(int roll) {
    int remaining = roll % TOTAL_WEIGHT;
    for (AssetKind kind : values()) {
      remaining -= kind.weight;
      if (remaining < 0) {
        return kind;
      }
    }
    throw new AssertionError("weights add up to " + TOTAL_WEIGHT);
  }

  /** The kind of an asset path, by its extension. */
  static AssetKind ofPath(String path) {
    String extension = path.substring(path.lastIndexOf('.') + 1);
    for (AssetKind kind : values()) {
      if (kind.extension.equals(extension)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("path: " + path + " (expected: a book asset)");
  }
}
