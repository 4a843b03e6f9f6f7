package fr.acclermont.gateway.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Caps the chunk extensions of one request body at {@link #MAX_EXTENSION_BYTES} in total (issue
 * #14): Netty's codec bounds each chunk line ({@code limits.max-request-line}) and drops the
 * extensions unseen, so a body of many small chunks could make the gateway parse megabytes of them.
 * Sits in front of the codec and watches the raw bytes, streaming (a body is never held): it does
 * not parse request heads itself but hands each one to the codec alone, up to its empty line, and
 * learns from the {@link #observer()} behind the codec, synchronously, how the body that follows is
 * framed (chunked, a length, none). It only follows chunked framing, it does not judge it: where
 * the framing is broken it stops watching and lets the codec refuse the body.
 *
 * <p>Over the cap, the rest of the connection's input is dropped and a {@link LastHttpContent}
 * with a failed decoder result goes down the pipeline in its place, which {@link EdgeHandler}
 * answers as it answers the codec's own chunk errors (400, the origin never sent the body's end,
 * the connection closed). Event loop only; one per connection.
 */
final class ChunkExtensionLimit extends ChannelInboundHandlerAdapter {

  /** The chunk extension bytes one body may carry, over all its chunks. */
  static final int MAX_EXTENSION_BYTES = 4096;

  private enum State {
    /** A request head: forwarded up to its empty line, the codec then decides. */
    HEAD,
    /** A body of a known length. */
    FIXED,
    /** Hex digits of a chunk size. */
    SIZE,
    /** After the size, up to the CR of the line: counted. */
    EXTENSION,
    /** The LF ending a chunk line. */
    SIZE_LF,
    DATA,
    DATA_CR,
    DATA_LF,
    /** Trailer lines up to the empty one. */
    TRAILER,
    /** Not watching any more: the codec refuses this connection's framing. */
    PASSIVE,
    /** Over the cap: everything read is dropped. */
    FAILED
  }

  private State state = State.HEAD;
  /** Bytes of the CR LF CR LF ending a head matched so far. */
  private int headEnd;
  /** Bytes left of a fixed body or of a chunk's data. */
  private long remaining;
  private long chunkSize;
  private int sizeDigits;
  private int extensionBytes;
  private int trailerLineBytes;
  private final Observer observer = new Observer();

  /** The handler to install right behind the codec, which reports each decoded request head. */
  Observer observer() {
    return observer;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in) || state == State.PASSIVE) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (state == State.FAILED) {
      in.release();
      return;
    }
    boolean owned = true;
    try {
      while (in.isReadable() && state != State.PASSIVE && state != State.FAILED) {
        int from = in.readerIndex();
        int end = state == State.HEAD ? headEnd(in) : bodyEnd(in);
        if (state == State.FAILED) {
          LastHttpContent failed = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
          failed.setDecoderResult(DecoderResult.failure(
              new TooLongFrameException("chunk extensions over " + MAX_EXTENSION_BYTES + " bytes in one body")));
          ctx.fireChannelRead(failed);
          return;
        }
        // Up to the end of a head or of a body the codec gets a piece of its own, so that what it
        // decodes (and the observer learns) comes before the bytes that follow are looked at.
        int length = (end < 0 ? in.writerIndex() : end) - from;
        in.readerIndex(from);
        if (length == in.readableBytes()) {
          owned = false;
          ctx.fireChannelRead(in); // the codec owns it now (and moves its indices): not touched again
          return;
        }
        ctx.fireChannelRead(in.readRetainedSlice(length));
      }
      if (in.isReadable()) {
        owned = false;
        ctx.fireChannelRead(in); // PASSIVE: the rest goes to the codec unwatched
      }
    } finally {
      if (owned) {
        in.release();
      }
    }
  }

  /** Scans for the end of a head: the index after its empty line, or -1 (all of it is head). */
  private int headEnd(ByteBuf in) {
    int to = in.writerIndex();
    for (int i = in.readerIndex(); i < to; i++) {
      byte b = in.getByte(i);
      if (b == '\r') {
        headEnd = headEnd == 2 ? 3 : 1;
      } else if (b == '\n' && (headEnd == 1 || headEnd == 3)) {
        headEnd++;
        if (headEnd == 4) {
          headEnd = 0;
          in.readerIndex(i + 1);
          return i + 1; // the observer sets the state once the codec has decoded the head
        }
      } else {
        headEnd = 0;
      }
    }
    in.readerIndex(to);
    return -1;
  }

  /**
   * Follows a body, counting its chunk extensions: the index after its last byte, or -1 when it
   * goes on past the buffer; the state says when it stopped watching or went over the cap.
   */
  private int bodyEnd(ByteBuf in) {
    int i = in.readerIndex();
    int to = in.writerIndex();
    while (i < to) {
      if (state == State.FIXED || state == State.DATA) {
        int n = (int) Math.min(remaining, to - i);
        i += n;
        remaining -= n;
        if (remaining > 0) {
          break;
        }
        if (state == State.FIXED) {
          state = State.HEAD;
          return i;
        }
        state = State.DATA_CR;
        continue;
      }
      byte b = in.getByte(i++);
      switch (state) {
        case SIZE -> {
          int digit = Character.digit(b, 16);
          if (digit >= 0 && (sizeDigits < 15 || chunkSize == 0)) {
            chunkSize = chunkSize * 16 + digit; // leading zeros count as a digit seen, never as overflow
            sizeDigits = chunkSize == 0 ? 1 : sizeDigits + 1;
          } else if (b == '\r') {
            state = State.SIZE_LF;
          } else if (digit >= 0 || b == '\n') {
            state = State.PASSIVE; // past 60 bits, which the codec refuses too
          } else {
            state = State.EXTENSION;
            countExtension();
          }
        }
        case EXTENSION -> {
          if (b == '\r') {
            state = State.SIZE_LF;
          } else if (b == '\n') {
            state = State.PASSIVE;
          } else {
            countExtension();
          }
        }
        case SIZE_LF -> {
          if (b != '\n' || sizeDigits == 0) {
            state = State.PASSIVE;
          } else if (chunkSize == 0) {
            state = State.TRAILER;
            trailerLineBytes = 0;
          } else {
            state = State.DATA;
            remaining = chunkSize;
          }
        }
        case DATA_CR -> state = b == '\r' ? State.DATA_LF : State.PASSIVE;
        case DATA_LF -> {
          if (b == '\n') {
            startChunk();
          } else {
            state = State.PASSIVE;
          }
        }
        case TRAILER -> {
          if (b == '\n') {
            if (trailerLineBytes == 0) {
              state = State.HEAD;
              return i;
            }
            trailerLineBytes = 0;
          } else if (b != '\r') {
            trailerLineBytes++;
          }
        }
        default -> throw new IllegalStateException(state.name());
      }
      if (state == State.PASSIVE || state == State.FAILED) {
        break;
      }
    }
    in.readerIndex(i);
    return -1;
  }

  private void countExtension() {
    if (++extensionBytes > MAX_EXTENSION_BYTES) {
      state = State.FAILED;
    }
  }

  private void startChunk() {
    state = State.SIZE;
    chunkSize = 0;
    sizeDigits = 0;
  }

  /** The codec decoded a request head: how is its body framed? */
  private void requestDecoded(HttpRequest request) {
    if (state != State.HEAD) {
      return;
    }
    if (request.decoderResult().isFailure()) {
      state = State.PASSIVE; // the codec refuses the rest of the connection
    } else if (HttpUtil.isTransferEncodingChunked(request)) {
      extensionBytes = 0;
      startChunk();
    } else {
      long length = HttpUtil.getContentLength(request, 0L);
      if (length > 0) {
        state = State.FIXED;
        remaining = length;
      }
    }
  }

  /** Behind the codec: reports each request head to the limit in front of it. */
  final class Observer extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest request) {
        requestDecoded(request);
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public boolean isSharable() {
      return false;
    }
  }
}
