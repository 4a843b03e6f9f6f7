package fr.acclermont.loadtest.client;

/** What a request fetches; latencies are recorded and reported per kind. */
public enum RequestKind {
  /** A book's {@code manifest.json}, the first request of a student opening a book. */
  MANIFEST("manifest", RequestKind.BROWSER_ENCODINGS),
  /** One asset of an HTML5 book (HTML, JS, CSS, images, audio), fetched whole. */
  ASSET("asset", RequestKind.BROWSER_ENCODINGS),
  /** A byte range of a book's PDF, as a pdf.js-style viewer reads it (with fetch, so the browser's codings). */
  RANGE("range", RequestKind.BROWSER_ENCODINGS),
  /** A byte range of a book's video, as a {@code <video>} element asks it: identity only. */
  VIDEO("video", "identity;q=1, *;q=0");

  /** What Chrome and Firefox send with page, script, style, image and fetch requests. */
  public static final String BROWSER_ENCODINGS = "gzip, deflate, br";

  private final String label;
  private final String acceptEncoding;

  RequestKind(String label, String acceptEncoding) {
    this.label = label;
    this.acceptEncoding = acceptEncoding;
  }

  /** Returns the {@code Accept-Encoding} a browser sends for this kind of request. */
  public String acceptEncoding() {
    return acceptEncoding;
  }

  /** Returns the short lowercase name used in reports, e.g. {@code manifest}. */
  public String label() {
    return label;
  }
}
