package fr.acclermont.gateway.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** Renders the two generated documents of a book: its index page and its manifest. */
final class BookPages {

  private BookPages() {}

  /**
   * The page a browser opens. Asset URLs are relative, so the page works under any prefix the
   * gateway maps the origin to; JSON data and chapter pages are prefetched, so opening the book
   * fetches every asset, as a textbook reader does at 08:00.
   */
  static byte[] indexHtml(Book book) {
    String title = escape(book.title());
    String base = "/books/" + book.id() + "/";
    StringBuilder head = new StringBuilder();
    StringBuilder body = new StringBuilder();
    for (Asset asset : book.assets()) {
      String href = asset.path().substring(base.length());
      switch (AssetKind.ofPath(asset.path())) {
        case CSS -> head.append("<link rel=\"stylesheet\" href=\"").append(href).append("\">\n");
        case JS -> head.append("<script src=\"").append(href).append("\" defer></script>\n");
        case JSON, HTML -> head.append("<link rel=\"prefetch\" href=\"").append(href).append("\">\n");
        case SVG -> body.append("<img src=\"").append(href)
            .append("\" width=\"320\" height=\"200\" alt=\"Figure\" loading=\"lazy\">\n");
        case MP3 -> body.append("<audio src=\"").append(href)
            .append("\" controls preload=\"metadata\"></audio>\n");
      }
    }
    StringBuilder page = new StringBuilder(64 * 1024)
        .append("<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(title).append("</title>\n")
        .append(head)
        .append("</head>\n<body>\n<h1>").append(title).append("</h1>\n<p>")
        .append("<a href=\"book.pdf\">PDF (").append(book.pdfSize() >> 20).append(" MiB)</a>");
    if (book.hasVideo()) {
      page.append(" · <a href=\"video.mp4\">Vidéo (").append(book.videoSize() >> 20).append(" MiB)</a>");
    }
    page.append(" · <a href=\"manifest.json\">Manifeste</a></p>\n")
        .append(body)
        .append("</body>\n</html>\n");
    return page.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The manifest: {@code {"id","title","index","pdf":{...},"video":{...}|null,"assets":[...]}}. */
  static byte[] manifestJson(Book book) {
    ObjectNode root = Catalog.JSON.createObjectNode()
        .put("id", book.id())
        .put("title", book.title())
        .put("index", book.indexPath());
    root.putObject("pdf")
        .put("path", book.pdfPath()).put("size", book.pdfSize()).put("contentType", "application/pdf");
    if (book.hasVideo()) {
      root.putObject("video")
          .put("path", book.videoPath()).put("size", book.videoSize()).put("contentType", "video/mp4");
    } else {
      root.putNull("video");
    }
    ArrayNode assets = root.putArray("assets");
    for (Asset asset : book.assets()) {
      assets.addObject()
          .put("path", asset.path()).put("size", asset.size()).put("contentType", asset.contentType());
    }
    try {
      return Catalog.JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the manifest of " + book.id(), e);
    }
  }

  /** Escapes text for HTML and XML content and attribute values. */
  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
