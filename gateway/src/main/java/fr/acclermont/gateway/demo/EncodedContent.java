package fr.acclermont.gateway.demo;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chooses the representation of a resource that answers a request, and makes the encoded ones:
 * under a profile that {@linkplain OriginProfile#compresses() compresses}, a
 * {@linkplain ContentCoding#compressible compressible} resource is sent in the coding that
 * {@link AcceptEncoding} picks, with {@code Vary: Accept-Encoding} whatever the coding.
 *
 * <p>An encoded representation is a {@link Resource} of its own: its bytes (so {@code Range}
 * addresses the encoded bytes, as nginx's {@code gzip_static} does), its length, and a strong
 * {@code ETag} per coding ({@code "<tag>-gzip"}, RFC 9110 §8.8.3: another representation, so
 * another strong validator). Each (resource version, coding) is encoded once, on a compression
 * thread rather than an event loop (a 500 KiB asset takes 7-19 ms), and kept in a cache bounded
 * to {@value #MAX_CACHED_BYTES} bytes of encoded content; concurrent requests for the same one
 * wait for the same encoding. Thread-safe; {@link #close()} stops the compression threads.
 */
final class EncodedContent implements AutoCloseable {

  /** About three books' worth of encoded text assets: enough that a load test encodes each once. */
  static final long MAX_CACHED_BYTES = 64L * 1024 * 1024;
  /** Text larger than this is sent as it is: the catalog's text is at most 500 KiB. */
  static final long MAX_ENCODED_RESOURCE_BYTES = 8L * 1024 * 1024;
  private static final int COMPRESSION_THREADS = 2;

  /**
   * The representation to send.
   *
   * @param resource the bytes and validators to send: the resource itself, or its encoding
   * @param coding the content coding of {@code resource}'s bytes
   * @param varies whether the choice depended on {@code Accept-Encoding}, so the answer says
   *     {@code Vary: Accept-Encoding}
   */
  record Choice(Resource resource, ContentCoding coding, boolean varies) {}

  /** What identifies one encoding: the path and version ({@code ETag}) of the resource, the coding. */
  private record Key(String path, String etag, ContentCoding coding) {}

  private final boolean compresses;
  private final ExecutorService compressor;
  private final AsyncCache<Key, Resource> cache;

  EncodedContent(OriginProfile profile) {
    this.compresses = profile.compresses();
    this.compressor = compresses
        ? Executors.newFixedThreadPool(COMPRESSION_THREADS, daemonThreads())
        : null;
    this.cache = Caffeine.newBuilder()
        .maximumWeight(MAX_CACHED_BYTES)
        .weigher((Key key, Resource encoded) -> (int) Math.min(Integer.MAX_VALUE, encoded.length()))
        .executor(compresses ? compressor : Runnable::run)
        .buildAsync();
  }

  /**
   * Returns the representation of {@code resource} that answers {@code request}: at once for
   * identity, once encoded otherwise (fails if encoding failed).
   */
  CompletableFuture<Choice> choose(HttpRequest request, Resource resource) {
    if (!compresses || !ContentCoding.compressible(resource.contentType())
        || resource.length() > MAX_ENCODED_RESOURCE_BYTES) {
      return CompletableFuture.completedFuture(new Choice(resource, ContentCoding.IDENTITY, false));
    }
    ContentCoding coding = AcceptEncoding.choose(request.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
    if (coding == ContentCoding.IDENTITY) {
      return CompletableFuture.completedFuture(new Choice(resource, coding, true));
    }
    return cache.get(new Key(resource.path(), resource.etag(), coding), (key, executor) ->
            CompletableFuture.supplyAsync(() -> encode(resource, coding), executor))
        .thenApply(encoded -> new Choice(encoded, coding, true));
  }

  /**
   * Adds the headers of {@code choice} to an answer: {@code Vary: Accept-Encoding} (after any
   * {@code Vary} a test hook set), and {@code Content-Encoding} unless it is a 304, which has no
   * content to describe.
   */
  static void addHeaders(HttpHeaders headers, Choice choice, boolean notModified) {
    if (choice.varies()) {
      String vary = headers.get(HttpHeaderNames.VARY);
      headers.set(HttpHeaderNames.VARY, vary == null || vary.isBlank()
          ? "Accept-Encoding" : vary + ", Accept-Encoding");
    }
    if (choice.coding() != ContentCoding.IDENTITY && !notModified) {
      headers.set(HttpHeaderNames.CONTENT_ENCODING, choice.coding().token());
    }
  }

  /** Returns the strong entity tag of the {@code coding} representation: {@code "abc"} becomes {@code "abc-gzip"}. */
  static String etag(String identityEtag, ContentCoding coding) {
    if (coding == ContentCoding.IDENTITY) {
      return identityEtag;
    }
    return identityEtag.substring(0, identityEtag.length() - 1) + "-" + coding.token() + "\"";
  }

  /** Stops the compression threads; encodings in progress are abandoned. Idempotent. */
  @Override
  public void close() {
    if (compressor != null) {
      compressor.shutdownNow();
    }
  }

  private static Resource encode(Resource identity, ContentCoding coding) {
    byte[] bytes = new byte[(int) identity.length()];
    identity.source().fill(Unpooled.wrappedBuffer(bytes).clear(), 0, bytes.length);
    byte[] encoded = coding.encode(bytes);
    return new Resource(identity.path(), encoded.length, identity.contentType(), identity.cacheControl(),
        etag(identity.etag(), coding), identity.lastModifiedMillis(), ContentSource.of(encoded));
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "demo-origin-compress-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
