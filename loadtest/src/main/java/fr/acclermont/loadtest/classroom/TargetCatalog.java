package fr.acclermont.loadtest.classroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The catalog the target serves at {@code /_origin/catalog}:
 * {@code {"seed":N,"books":[{"id","title","manifest","assetCount","assetBytes",
 * "pdf":{"path","size"},"video":{"path","size"}|null},...]}}. The seed is what the PDF and video
 * bytes are verified with.
 *
 * @param seed the seed of the synthetic content
 * @param books the books, in catalog order
 */
record TargetCatalog(long seed, List<CatalogBook> books) {

  static final String PATH = "/_origin/catalog";
  private static final ObjectMapper JSON = new ObjectMapper();

  TargetCatalog {
    books = List.copyOf(books);
  }

  /**
   * Parses the catalog document.
   *
   * @throws IOException if it is not JSON of the expected shape, or lists no book
   */
  static TargetCatalog parse(byte[] json) throws IOException {
    JsonNode root = JSON.readTree(json);
    JsonNode books = root == null ? null : root.get("books");
    if (books == null || !books.isArray() || books.isEmpty() || !root.path("seed").canConvertToLong()) {
      throw new IOException("not a catalog: expected {\"seed\":N,\"books\":[...]} with at least one book");
    }
    List<CatalogBook> parsed = new ArrayList<>();
    for (JsonNode book : books) {
      JsonNode video = book.path("video");
      boolean hasVideo = video.isObject();
      parsed.add(new CatalogBook(
          text(book, "id"), text(book, "title"), text(book, "manifest"),
          book.path("assetCount").asInt(), book.path("assetBytes").asLong(),
          text(book.path("pdf"), "path"), positive(book.path("pdf"), "size"),
          hasVideo ? text(video, "path") : null, hasVideo ? positive(video, "size") : 0));
    }
    return new TargetCatalog(root.get("seed").asLong(), parsed);
  }

  /** Returns the book {@code id}, if listed. */
  Optional<CatalogBook> book(String id) {
    return books.stream().filter(book -> book.id().equals(id)).findFirst();
  }

  /** Returns the ids, comma-separated, for messages. */
  String ids() {
    return books.stream().map(CatalogBook::id).collect(Collectors.joining(", "));
  }

  private static String text(JsonNode node, String field) throws IOException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IOException("catalog entry without a text \"" + field + "\": " + node);
    }
    return value.asText();
  }

  private static long positive(JsonNode node, String field) throws IOException {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToLong() || value.asLong() <= 0) {
      throw new IOException("catalog entry without a positive \"" + field + "\": " + node);
    }
    return value.asLong();
  }
}
