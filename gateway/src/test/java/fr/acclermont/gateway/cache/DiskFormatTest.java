package fr.acclermont.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DiskFormatTest {

  private static StoredObject object(CacheKey key) {
    return new StoredObject(key, 42, 200, new DefaultHttpHeaders().add("ETag", "\"e1\"").add("Vary", "Accept-Language"),
        10, 4, 1, 2, 3, 4, 60, true);
  }

  @Test
  void object_withVariant_roundTrips() throws Exception {
    CacheKey key = new CacheKey("cloud", "/books/b1/manifest.json", "accept-language: fr");

    StoredObject decoded = DiskFormat.decodeObject(DiskFormat.encodeObject(object(key)));

    assertThat(decoded.key()).isEqualTo(key);
    assertThat(decoded.etag()).isEqualTo("\"e1\"");
  }

  @Test
  void object_withoutVariant_roundTrips() throws Exception {
    CacheKey key = new CacheKey("cloud", "/books/b1/manifest.json");

    assertThat(DiskFormat.decodeObject(DiskFormat.encodeObject(object(key))).key()).isEqualTo(key);
  }

  @Test
  void object_directivesFromAConfiguredTargetedField_readBackFromTheSameField() throws Exception {
    // RFC 9213: a copy read back from disk obeys the field it was stored under, whatever the
    // default list says (School-Cache-Control is not on it).
    DefaultHttpHeaders headers = new DefaultHttpHeaders();
    headers.add("Cache-Control", "no-cache").add("School-Cache-Control", "max-age=600, stale-if-error=60");
    StoredObject object = new StoredObject(new CacheKey("cloud", "/b"), 42, 200, headers, 10, 4, 1, 2, 3, 4, 600,
        true, TargetedCacheControl.of("School-Cache-Control").select(headers));

    StoredObject decoded = DiskFormat.decodeObject(DiskFormat.encodeObject(object));

    assertThat(decoded.controlField()).isEqualTo("School-Cache-Control");
    assertThat(decoded.control()).isEqualTo(object.control());
    assertThat(decoded.control().noCache()).isFalse();
    assertThat(decoded.key()).isEqualTo(object.key());
  }

  @Test
  void object_directivesFromCacheControl_writtenAsBefore() throws Exception {
    CacheKey key = new CacheKey("cloud", "/books/b1/manifest.json");
    StoredObject object = object(key);
    byte[] file = DiskFormat.encodeObject(object);

    StoredObject decoded = DiskFormat.decodeObject(file);

    assertThat(decoded.controlField()).isEqualTo("cache-control");
    assertThat(decoded.control()).isEqualTo(object.control());
  }

  @Test
  void hash_keyWithoutVariant_unchangedSinceVariantsExist() throws Exception {
    // Files written before variants existed keep their names: the hash of a key without a variant is
    // still that of "origin\npath".
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    String expected = HexFormat.of().formatHex(sha.digest("cloud\n/a?b=1".getBytes(StandardCharsets.UTF_8)));

    assertThat(DiskFormat.hash(new CacheKey("cloud", "/a?b=1"))).isEqualTo(expected);
    assertThat(DiskFormat.hash(new CacheKey("cloud", "/a?b=1", "accept-language: fr"))).isNotEqualTo(expected);
  }
}
