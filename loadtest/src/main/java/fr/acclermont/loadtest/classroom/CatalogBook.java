package fr.acclermont.loadtest.classroom;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One book of the target's catalog, as {@code /_origin/catalog} describes it.
 *
 * @param id the book id
 * @param title the title
 * @param manifestPath the manifest's path
 * @param assetCount how many assets the manifest lists
 * @param assetBytes the assets' total size
 * @param pdfPath the PDF's path
 * @param pdfSize the PDF's size
 * @param videoPath the video's path, or {@code null} if the book has none
 * @param videoSize the video's size, 0 without a video
 */
record CatalogBook(String id, String title, String manifestPath, int assetCount, long assetBytes, String pdfPath,
    long pdfSize, @Nullable String videoPath, long videoSize) {

  CatalogBook {
    requireNonNull(id, "id");
    requireNonNull(title, "title");
    requireNonNull(manifestPath, "manifestPath");
    requireNonNull(pdfPath, "pdfPath");
  }

  /** Returns whether the book has a video. */
  boolean hasVideo() {
    return videoPath != null && videoSize > 0;
  }
}
