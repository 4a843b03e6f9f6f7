package fr.acclermont.gateway.demo;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedInput;

/**
 * A range of a resource as HTTP content chunks of at most 64 KiB, each generated when
 * {@code ChunkedWriteHandler} asks for it. That handler asks only while the channel is writable,
 * so a slow client holds at most the write buffer's high-water mark plus one chunk in memory,
 * whatever the length of the range.
 *
 * <p>Used by one channel, on its event loop.
 */
final class ContentStream implements ChunkedInput<HttpContent> {

  static final int MAX_CHUNK_BYTES = 64 * 1024;

  private final ContentSource source;
  private final long start;
  private final long length;
  private final boolean endsMessage;
  private long produced;
  private boolean lastContentProduced;

  /**
   * @param source the resource's bytes
   * @param start the offset of the first byte in the resource
   * @param length how many bytes to stream
   * @param endsMessage whether a {@link LastHttpContent} follows the bytes; faults that cut the
   *     body short leave it out, so a chunked response never gets its terminator
   */
  ContentStream(ContentSource source, long start, long length, boolean endsMessage) {
    this.source = source;
    this.start = start;
    this.length = length;
    this.endsMessage = endsMessage;
  }

  @Override
  public boolean isEndOfInput() {
    return produced == length && (!endsMessage || lastContentProduced);
  }

  @Override
  public void close() {
    // Nothing to free: every chunk is generated on demand and owned by the pipeline once read.
  }

  @Deprecated
  @Override
  public HttpContent readChunk(ChannelHandlerContext ctx) {
    return readChunk(ctx.alloc());
  }

  @Override
  public HttpContent readChunk(ByteBufAllocator allocator) {
    if (produced == length) {
      if (endsMessage && !lastContentProduced) {
        lastContentProduced = true;
        return LastHttpContent.EMPTY_LAST_CONTENT;
      }
      return null;
    }
    int size = (int) Math.min(MAX_CHUNK_BYTES, length - produced);
    ByteBuf chunk = allocator.buffer(size);
    try {
      source.fill(chunk, start + produced, size);
    } catch (RuntimeException e) {
      chunk.release();
      throw e;
    }
    produced += size;
    return new DefaultHttpContent(chunk);
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public long progress() {
    return produced;
  }
}
