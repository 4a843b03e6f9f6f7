package fr.acclermont.gateway.cache;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The bytes of the disk tier's files, version 1. An object's metadata file holds the
 * {@link StoredObject} and a CRC32C of itself; a slice file holds a header (its object's key hash,
 * version, index, length, the object's validators, the CRC32C of the data) then the data. File
 * names come from a SHA-256 of the cache key, never from the request path. Pure functions.
 */
final class DiskFormat {

  /** Written in the directory's marker file; a directory with another one is refused. */
  static final String MARKER = "textbook-gateway disk cache, format 1\n";
  static final String MARKER_FILE = "FORMAT";
  private static final int META_MAGIC = 0x54474D31; // "TGM1"
  private static final int SLICE_MAGIC = 0x54475331; // "TGS1"

  private DiskFormat() {
  }

  /** The hex SHA-256 of a cache key: the stem of its files' names. */
  static String hash(CacheKey key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(key.origin().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) '\n');
      sha.update(key.pathAndQuery().getBytes(StandardCharsets.UTF_8));
      if (!key.variant().isEmpty()) { // absent for a key without one: names written before variants stand
        sha.update((byte) '\n');
        sha.update(key.variant().getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** The CRC32C of {@code length} bytes of {@code data} from its position, which is left unchanged. */
  static int crc(ByteBuffer data) {
    CRC32C crc = new CRC32C();
    crc.update(data.duplicate());
    return (int) crc.getValue();
  }

  static byte[] encodeObject(StoredObject object) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(META_MAGIC);
      out.writeUTF(object.key().origin());
      out.writeUTF(object.key().pathAndQuery());
      out.writeLong(object.version());
      out.writeInt(object.status());
      out.writeLong(object.length());
      out.writeInt(object.sliceSize());
      out.writeLong(object.requestTimeMillis());
      out.writeLong(object.responseTimeMillis());
      out.writeLong(object.dateMillis());
      out.writeLong(object.ageHeaderSeconds());
      out.writeLong(object.freshnessLifetimeSeconds());
      out.writeBoolean(object.rangeable());
      out.writeInt(object.headers().size());
      for (Map.Entry<String, String> header : object.headers()) {
        out.writeUTF(header.getKey());
        out.writeUTF(header.getValue());
      }
      boolean targeted = !HttpHeaderNames.CACHE_CONTROL.contentEqualsIgnoreCase(object.controlField());
      if (!object.key().variant().isEmpty() || targeted) {
        out.writeUTF(object.key().variant()); // optional: files written before variants still read
      }
      if (targeted) {
        out.writeUTF(object.controlField()); // last and optional: the targeted field obeyed (RFC 9213)
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    byte[] body = bytes.toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(body);
    return ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue()).array();
  }

  /** Decodes a metadata file; throws {@link IOException} if it is truncated or corrupt. */
  static StoredObject decodeObject(byte[] file) throws IOException {
    if (file.length < 8) {
      throw new IOException("truncated metadata file");
    }
    CRC32C crc = new CRC32C();
    crc.update(file, 0, file.length - 4);
    if ((int) crc.getValue() != ByteBuffer.wrap(file, file.length - 4, 4).getInt()) {
      throw new IOException("metadata checksum mismatch");
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(file, 0, file.length - 4))) {
      if (in.readInt() != META_MAGIC) {
        throw new IOException("not a metadata file");
      }
      String origin = in.readUTF();
      String pathAndQuery = in.readUTF();
      long version = in.readLong();
      int status = in.readInt();
      long length = in.readLong();
      int sliceSize = in.readInt();
      long requestTime = in.readLong();
      long responseTime = in.readLong();
      long date = in.readLong();
      long age = in.readLong();
      long lifetime = in.readLong();
      boolean rangeable = in.readBoolean();
      int count = in.readInt();
      HttpHeaders headers = new DefaultHttpHeaders();
      for (int i = 0; i < count; i++) {
        headers.add(in.readUTF(), in.readUTF());
      }
      CacheKey key = new CacheKey(origin, pathAndQuery, in.available() > 0 ? in.readUTF() : "");
      String controlField = in.available() > 0 ? in.readUTF() : HttpHeaderNames.CACHE_CONTROL.toString();
      return new StoredObject(key, version, status, headers, length, sliceSize, requestTime, responseTime, date, age,
          lifetime, rangeable, TargetedCacheControl.read(headers, controlField));
    } catch (IllegalArgumentException e) {
      throw new IOException("invalid metadata: " + e.getMessage(), e);
    }
  }

  /** The header of a slice file. */
  record SliceHeader(String keyHash, long version, int index, int length, int crc, String etag, String lastModified) {
  }

  static byte[] encodeSliceHeader(SliceHeader header) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(SLICE_MAGIC);
      out.writeUTF(header.keyHash());
      out.writeLong(header.version());
      out.writeInt(header.index());
      out.writeInt(header.length());
      out.writeInt(header.crc());
      out.writeUTF(header.etag());
      out.writeUTF(header.lastModified());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] body = bytes.toByteArray();
    return ByteBuffer.allocate(body.length + 2).putShort((short) body.length).put(body).array();
  }

  /** Reads a slice file's header from its start; the data follows it. */
  static SliceHeader decodeSliceHeader(DataInputStream in) throws IOException {
    in.readUnsignedShort();
    if (in.readInt() != SLICE_MAGIC) {
      throw new IOException("not a slice file");
    }
    return new SliceHeader(in.readUTF(), in.readLong(), in.readInt(), in.readInt(), in.readInt(), in.readUTF(),
        in.readUTF());
  }

  /** The size of an encoded header, from its first two bytes. */
  static int headerBytes(ByteBuffer firstTwo) {
    return 2 + (firstTwo.getShort(0) & 0xFFFF);
  }
}
