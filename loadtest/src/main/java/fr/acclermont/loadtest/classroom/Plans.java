package fr.acclermont.loadtest.classroom;

import fr.acclermont.loadtest.client.BodyVerifier;
import fr.acclermont.loadtest.client.KnownBytesVerifier;
import fr.acclermont.loadtest.client.RangeSpec;
import fr.acclermont.loadtest.client.RequestKind;
import fr.acclermont.loadtest.client.RequestSpec;
import fr.acclermont.loadtest.client.SyntheticContentVerifier;
import java.util.ArrayList;
import java.util.List;

/** Builds the plans of what students do: open an HTML5 book, read a PDF, watch a video. */
final class Plans {

  /** What pdf.js asks per page, and for the end of the file first. */
  static final long PDF_RANGE_BYTES = 64 * 1024;
  /** What a video player asks per read. */
  static final long VIDEO_RANGE_BYTES = 1024 * 1024;

  static final String BOOK = "book";
  static final String PDF = "pdf";
  static final String VIDEO = "video";

  private Plans() {}

  /**
   * Opening a book as a browser does: the manifest; then every asset at once (the pool lets 6
   * through at a time); then, if {@code pdfPages > 0}, the PDF as pdf.js reads it: the last 64 KiB
   * (where the cross-reference table is), then {@code pdfPages} 64 KiB ranges from the start, one
   * after the other. Book open is the end of the assets. The manifest is checked against the copy
   * read before the run, every asset byte for byte against the demo origin's content of the seed
   * (after decoding, when a CDN sent it gzip or br).
   */
  static StudentPlan openBook(CatalogBook book, BookManifest manifest, long seed, int pdfPages) {
    List<StudentPlan.Batch> batches = new ArrayList<>();
    byte[] manifestBytes = manifest.bytes();
    batches.add(new StudentPlan.Batch(List.of(RequestSpec.whole(RequestKind.MANIFEST, book.manifestPath(),
        manifestBytes.length, new KnownBytesVerifier(manifestBytes))), true));
    List<RequestSpec> assets = new ArrayList<>();
    for (BookManifest.Asset asset : manifest.assets()) {
      assets.add(RequestSpec.whole(RequestKind.ASSET, asset.path(), asset.size(),
          new SyntheticContentVerifier(asset.path(), asset.size(), seed)));
    }
    batches.add(new StudentPlan.Batch(assets, false));
    if (pdfPages > 0) {
      addPdf(batches, book, seed, 0, pdfPages);
    }
    return new StudentPlan(BOOK, batches, 1);
  }

  /** Reading the PDF only: its last 64 KiB, then {@code pages} 64 KiB ranges from {@code firstPage}. */
  static StudentPlan readPdf(CatalogBook book, long seed, long firstPage, int pages) {
    List<StudentPlan.Batch> batches = new ArrayList<>();
    addPdf(batches, book, seed, firstPage, pages);
    return new StudentPlan(PDF, batches, -1);
  }

  /** Watching the video: {@code reads} sequential 1 MiB ranges from the start, one after the other. */
  static StudentPlan watchVideo(CatalogBook book, long seed, int reads) {
    if (!book.hasVideo()) {
      throw new IllegalArgumentException("book " + book.id() + " has no video");
    }
    List<StudentPlan.Batch> batches = new ArrayList<>();
    BodyVerifier verifier = new SyntheticContentVerifier(book.videoPath(), book.videoSize(), seed);
    long count = Math.min(reads, ceilDiv(book.videoSize(), VIDEO_RANGE_BYTES));
    for (long i = 0; i < count; i++) {
      long first = i * VIDEO_RANGE_BYTES;
      RangeSpec range = RangeSpec.of(first, Math.min(VIDEO_RANGE_BYTES, book.videoSize() - first));
      batches.add(new StudentPlan.Batch(
          List.of(RequestSpec.range(RequestKind.VIDEO, book.videoPath(), range, book.videoSize(), verifier)), false));
    }
    return new StudentPlan(VIDEO, batches, -1);
  }

  /** Returns how many 64 KiB pages the book's PDF has. */
  static long pdfPageCount(CatalogBook book) {
    return ceilDiv(book.pdfSize(), PDF_RANGE_BYTES);
  }

  private static void addPdf(List<StudentPlan.Batch> batches, CatalogBook book, long seed, long firstPage, int pages) {
    BodyVerifier verifier = new SyntheticContentVerifier(book.pdfPath(), book.pdfSize(), seed);
    batches.add(new StudentPlan.Batch(List.of(RequestSpec.range(RequestKind.RANGE, book.pdfPath(),
        RangeSpec.suffix(PDF_RANGE_BYTES), book.pdfSize(), verifier)), false));
    long last = Math.min(pdfPageCount(book), firstPage + pages);
    for (long page = firstPage; page < last; page++) {
      long first = page * PDF_RANGE_BYTES;
      RangeSpec range = RangeSpec.of(first, Math.min(PDF_RANGE_BYTES, book.pdfSize() - first));
      batches.add(new StudentPlan.Batch(
          List.of(RequestSpec.range(RequestKind.RANGE, book.pdfPath(), range, book.pdfSize(), verifier)), false));
    }
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
