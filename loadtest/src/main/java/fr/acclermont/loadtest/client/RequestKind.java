package fr.acclermont.loadtest.client;

/** What a request fetches; latencies are recorded and reported per kind. */
public enum RequestKind {
  /** A book's {@code manifest.json}, the first request of a student opening a book. */
  MANIFEST("manifest"),
  /** One asset of an HTML5 book (HTML, JS, CSS, images, audio), fetched whole. */
  ASSET("asset"),
  /** A byte range of a book's PDF, as a pdf.js-style viewer reads it. */
  RANGE("range"),
  /** A byte range of a book's video. */
  VIDEO("video");

  private final String label;

  RequestKind(String label) {
    this.label = label;
  }

  /** Returns the short lowercase name used in reports, e.g. {@code manifest}. */
  public String label() {
    return label;
  }
}
