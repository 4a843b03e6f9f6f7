package fr.acclermont.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class CatalogTest {

  private static final long MIB = 1024 * 1024;
  private static final Catalog CATALOG = Catalog.generate(1);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void generate_anySeed_threeOrMoreBooksOfTwoHundredOrMoreAssets() {
    assertThat(CATALOG.books()).hasSizeGreaterThanOrEqualTo(3);
    for (Book book : CATALOG.books()) {
      assertThat(book.assets()).hasSizeGreaterThanOrEqualTo(200);
      assertThat(book.assets()).allSatisfy(asset -> {
        assertThat(asset.size()).isBetween(4L * 1024, 500L * 1024);
        assertThat(asset.path()).startsWith("/books/" + book.id() + "/assets/");
      });
      assertThat(book.pdfSize()).isBetween(100 * MIB, 300 * MIB);
      assertThat(book.indexPath()).isEqualTo("/books/" + book.id() + "/index.html");
      assertThat(book.manifestPath()).isEqualTo("/books/" + book.id() + "/manifest.json");
    }
    assertThat(CATALOG.books()).anySatisfy(book -> assertThat(book.videoSize()).isBetween(200 * MIB, 400 * MIB));
  }

  @Test
  void generate_assetSizes_logNormalAroundThirtyKiB() {
    long[] sizes = CATALOG.books().stream().flatMap(book -> book.assets().stream())
        .mapToLong(Asset::size).sorted().toArray();

    assertThat(sizes[sizes.length / 2]).isBetween(20L * 1024, 45L * 1024);
    assertThat(sizes[0]).isLessThan(8 * 1024);
    assertThat(sizes[sizes.length - 1]).isGreaterThan(200 * 1024);
  }

  @Test
  void generate_assetKinds_everyKindInEveryBook() {
    for (Book book : CATALOG.books()) {
      Set<String> types = book.assets().stream().map(Asset::contentType).collect(Collectors.toSet());
      assertThat(types).containsExactlyInAnyOrder(Arrays.stream(AssetKind.values())
          .map(AssetKind::contentType).toArray(String[]::new));
    }
  }

  @Test
  void generate_sameSeed_sameCatalog() {
    assertThat(Catalog.generate(1).books()).isEqualTo(CATALOG.books());
    assertThat(Catalog.generate(1).toJson()).isEqualTo(CATALOG.toJson());
  }

  @Test
  void generate_otherSeed_otherCatalog() {
    Catalog other = Catalog.generate(2);

    assertThat(other.toJson()).isNotEqualTo(CATALOG.toJson());
    assertThat(other.books().get(0).assets()).isNotEqualTo(CATALOG.books().get(0).assets());
  }

  @Test
  void toJson_everyBook_listsPathsAndSizes() throws Exception {
    JsonNode root = JSON.readTree(CATALOG.toJson());

    assertThat(root.get("books")).hasSize(CATALOG.books().size());
    JsonNode first = root.get("books").get(0);
    Book book = CATALOG.books().get(0);
    assertThat(first.get("id").asText()).isEqualTo(book.id());
    assertThat(first.get("title").asText()).isEqualTo(book.title());
    assertThat(first.get("index").asText()).isEqualTo(book.indexPath());
    assertThat(first.get("manifest").asText()).isEqualTo(book.manifestPath());
    assertThat(first.get("assetCount").asInt()).isEqualTo(book.assets().size());
    assertThat(first.get("pdf").get("path").asText()).isEqualTo(book.pdfPath());
    assertThat(first.get("pdf").get("size").asLong()).isEqualTo(book.pdfSize());
    assertThat(first.get("video").get("size").asLong()).isEqualTo(book.videoSize());
  }

  @Test
  void book_unknownId_empty() {
    assertThat(CATALOG.book("nope")).isEmpty();
    assertThat(CATALOG.book(CATALOG.books().get(1).id())).contains(CATALOG.books().get(1));
  }

  @Test
  void assetContent_svg_wellFormedXmlOfExactSize() throws Exception {
    for (Asset asset : assetsOf("image/svg+xml").subList(0, 3)) {
      byte[] bytes = content(asset);

      assertThat(bytes).hasSize((int) asset.size());
      Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
      assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
    }
  }

  @Test
  void assetContent_json_parsesAtExactSize() throws Exception {
    for (Asset asset : assetsOf("application/json").subList(0, 3)) {
      byte[] bytes = content(asset);

      assertThat(bytes).hasSize((int) asset.size());
      assertThat(JSON.readTree(bytes).get("padding").asText()).isNotEmpty();
    }
  }

  @Test
  void assetContent_textKinds_closeTheirPaddingComment() {
    Book book = CATALOG.books().get(0);
    assertThat(text(book.assets().get(0))).startsWith("/* ").endsWith("\n*/\n");
    assertThat(text(book.assets().get(1))).startsWith("// ").endsWith("\n*/\n");
    assertThat(text(book.assets().get(4))).startsWith("<!DOCTYPE html>").endsWith("-->\n</body>\n</html>\n")
        .doesNotContain("--\n<");
  }

  @Test
  void resolver_pdf_startsWithPdfHeaderAndEndsWithEof() {
    Book book = CATALOG.books().get(0);
    Resource pdf = new ResourceResolver(CATALOG).resolve(book.pdfPath()).orElseThrow();

    assertThat(new String(read(pdf, 0, 9), StandardCharsets.US_ASCII)).isEqualTo("%PDF-1.7\n");
    assertThat(new String(read(pdf, pdf.length() - 7, 7), StandardCharsets.US_ASCII)).isEqualTo("\n%%EOF\n");
  }

  private static List<Asset> assetsOf(String contentType) {
    return CATALOG.books().get(0).assets().stream().filter(a -> a.contentType().equals(contentType)).toList();
  }

  private static String text(Asset asset) {
    return new String(content(asset), StandardCharsets.UTF_8);
  }

  private static byte[] content(Asset asset) {
    Resource resource = new ResourceResolver(CATALOG).resolve(asset.path()).orElseThrow();
    return read(resource, 0, (int) resource.length());
  }

  private static byte[] read(Resource resource, long offset, int length) {
    ByteBuf buf = Unpooled.buffer(length);
    try {
      resource.source().fill(buf, offset, length);
      byte[] bytes = new byte[length];
      buf.readBytes(bytes);
      return bytes;
    } finally {
      buf.release();
    }
  }
}
