package fr.acclermont.gateway.demo;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One synthetic textbook: an HTML5 book (index, manifest, assets), a PDF and maybe a video.
 *
 * @param id the book id, the path segment after {@code /books/}
 * @param title a human-readable title
 * @param indexPath the path of the page a browser opens
 * @param manifestPath the path of the JSON manifest listing the assets
 * @param assets the assets, in manifest order
 * @param pdfPath the path of the PDF edition
 * @param pdfSize the PDF length in bytes
 * @param videoPath the path of the video, or {@code null} when the book has none
 * @param videoSize the video length in bytes, 0 when the book has none
 */
public record Book(
    String id,
    String title,
    String indexPath,
    String manifestPath,
    List<Asset> assets,
    String pdfPath,
    long pdfSize,
    String videoPath,
    long videoSize) {

  /** Validates the components and freezes the asset list. */
  public Book {
    requireNonNull(id, "id");
    requireNonNull(title, "title");
    requireNonNull(indexPath, "indexPath");
    requireNonNull(manifestPath, "manifestPath");
    requireNonNull(pdfPath, "pdfPath");
    assets = List.copyOf(assets);
  }

  /** Returns whether the book has a video. */
  public boolean hasVideo() {
    return videoPath != null;
  }

  /** Returns the sum of the asset sizes in bytes. */
  public long assetBytes() {
    return assets.stream().mapToLong(Asset::size).sum();
  }
}
