package fr.acclermont.gateway.demo;

import java.nio.charset.StandardCharsets;

/**
 * Builds the content of each generated file: real markup (or a format signature) in front,
 * synthetic filler up to the exact size, and whatever closes the filler's comment or string.
 */
final class AssetContent {

  private static final byte[] NOTHING = new byte[0];
  /** An ID3v2.4 header with an empty tag, as MP3 files start. */
  private static final byte[] ID3_HEADER = {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0};
  /** The PDF header and the binary-marker comment that tells tools the file is binary. */
  private static final byte[] PDF_HEADER =
      {'%', 'P', 'D', 'F', '-', '1', '.', '7', '\n', '%', (byte) 0xE2, (byte) 0xE3, (byte) 0xCF, (byte) 0xD3, '\n'};
  private static final byte[] PDF_TRAILER = ascii("\n%%EOF\n");
  /** An ISO BMFF {@code ftyp} box (24 bytes), as MP4 files start. */
  private static final byte[] MP4_HEADER = {
    0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0,
    'i', 's', 'o', 'm', 'm', 'p', '4', '1'};

  private AssetContent() {}

  /** The content of a book asset. */
  static ContentSource asset(Book book, Asset asset, long seed) {
    String path = asset.path();
    String title = book.title();
    String name = path.substring(path.lastIndexOf('/') + 1);
    return switch (AssetKind.ofPath(path)) {
      case CSS -> text(path, seed, asset.size(), "/* " + title + " - " + name + " */\n"
          + "body { font-family: Georgia, serif; line-height: 1.5; margin: 0 auto; max-width: 48rem; }\n"
          + "h1, h2 { font-family: Helvetica, Arial, sans-serif; color: #1d3557; }\n"
          + "img { display: block; max-width: 100%; height: auto; margin: 1rem 0; }\n/*\n", "\n*/\n");
      case JS -> text(path, seed, asset.size(), "// " + title + " - " + name + "\n"
          + "(function () {\n  'use strict';\n  var book = window.textbook = window.textbook || {};\n"
          + "  book['" + name + "'] = { loaded: Date.now() };\n})();\n/*\n", "\n*/\n");
      case SVG -> text(path, seed, asset.size(), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" height=\"200\" viewBox=\"0 0 320 200\">\n"
          + "<rect width=\"320\" height=\"200\" fill=\"#" + color(path, seed) + "\"/>\n"
          + "<circle cx=\"260\" cy=\"60\" r=\"40\" fill=\"#ffffff\" fill-opacity=\"0.5\"/>\n"
          + "<text x=\"16\" y=\"180\" font-family=\"sans-serif\" font-size=\"16\">"
          + BookPages.escape(title) + " - " + name + "</text>\n<!--\n", "\n-->\n</svg>\n");
      case JSON -> padded(path, seed, asset.size(), utf8("{\"book\":\"" + book.id() + "\",\"asset\":\""
          + name + "\",\"questions\":[{\"q\":\"7 x 8\",\"a\":56},{\"q\":\"12 / 4\",\"a\":3}],"
          + "\"padding\":\""), utf8("\"}\n"), PaddedContent.Filler.JSON_STRING);
      case HTML -> text(path, seed, asset.size(), "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n"
          + "<meta charset=\"utf-8\">\n<title>" + BookPages.escape(title) + " - " + name + "</title>\n"
          + "<link rel=\"stylesheet\" href=\"../css/style-000.css\">\n</head>\n<body>\n"
          + "<h2>" + name + "</h2>\n<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n"
          + "<!--\n", "\n-->\n</body>\n</html>\n");
      case MP3 -> padded(path, seed, asset.size(), ID3_HEADER, NOTHING, PaddedContent.Filler.BINARY);
    };
  }

  /** The content of a book's PDF edition. */
  static ContentSource pdf(String path, long size, long seed) {
    return padded(path, seed, size, PDF_HEADER, PDF_TRAILER, PaddedContent.Filler.BINARY);
  }

  /** The content of a book's video. */
  static ContentSource video(String path, long size, long seed) {
    return padded(path, seed, size, MP4_HEADER, NOTHING, PaddedContent.Filler.BINARY);
  }

  private static ContentSource text(String path, long seed, long size, String head, String tail) {
    return padded(path, seed, size, utf8(head), utf8(tail), PaddedContent.Filler.TEXT);
  }

  private static ContentSource padded(
      String path, long seed, long size, byte[] head, byte[] tail, PaddedContent.Filler filler) {
    return new PaddedContent(path, seed, size, head, tail, filler);
  }

  private static String color(String path, long seed) {
    // Pastel colours (each channel >= 0x80), so the black caption stays readable.
    return String.format("%06x", SyntheticContent.key(path, seed) & 0x7F7F7F | 0x808080);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
