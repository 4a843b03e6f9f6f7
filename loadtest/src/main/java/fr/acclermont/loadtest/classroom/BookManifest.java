package fr.acclermont.loadtest.classroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A book's manifest as read before the run: its exact bytes (every student must receive the
 * same) and the assets it lists, {@code {"assets":[{"path","size","contentType"},...],...}}.
 *
 * @param bytes the manifest document
 * @param assets the assets, in manifest order
 */
record BookManifest(byte[] bytes, List<Asset> assets) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One asset of the manifest.
   *
   * @param path its path
   * @param size its exact size in bytes
   */
  record Asset(String path, long size) {}

  BookManifest {
    bytes = bytes.clone();
    assets = List.copyOf(assets);
  }

  /**
   * Parses a manifest document.
   *
   * @throws IOException if it is not JSON with an {@code assets} array of paths and sizes
   */
  static BookManifest parse(byte[] json) throws IOException {
    JsonNode assets = JSON.readTree(json).path("assets");
    if (!assets.isArray()) {
      throw new IOException("not a manifest: expected {\"assets\":[{\"path\",\"size\"},...]}");
    }
    List<Asset> parsed = new ArrayList<>();
    for (JsonNode asset : assets) {
      JsonNode path = asset.get("path");
      JsonNode size = asset.get("size");
      if (path == null || !path.isTextual() || !path.asText().startsWith("/") || size == null
          || !size.canConvertToLong() || size.asLong() < 0) {
        throw new IOException("manifest asset without a path and a size: " + asset);
      }
      parsed.add(new Asset(path.asText(), size.asLong()));
    }
    return new BookManifest(json, parsed);
  }

  /** Returns the manifest document (a copy). */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }
}
