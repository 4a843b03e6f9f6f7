package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The dispatch ({@link EdgeHandler}) behind its flow control and guard on an
 * {@link EmbeddedChannel}, with responders of the test's own: requests are answered one at a time
 * and in order, and an unexpected exception is answered with a 500 when no head went out yet, or
 * cuts the response when one did.
 */
class EdgeHandlerTest {

  private static final GatewayServices SERVICES = EmbeddedEdge.services();

  private final Logger logger = (Logger) LoggerFactory.getLogger(EdgeHandler.class);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Reads reads = new Reads();
  /** The requests whose responder started, in order. */
  private final List<ClientRequest> started = new ArrayList<>();
  private EmbeddedChannel channel;

  /** Counts the {@code read()} calls that reach the channel. */
  private static final class Reads extends ChannelOutboundHandlerAdapter {
    int count;

    @Override
    public void read(ChannelHandlerContext ctx) {
      count++;
      ctx.read();
    }
  }

  /** Starts by recording its request; the test answers it. */
  private class Recorded implements Responder {
    private final ClientRequest client;

    Recorded(ClientRequest client) {
      this.client = client;
    }

    @Override
    public void start() {
      started.add(client);
    }

    @Override
    public void onWritable() {
    }

    @Override
    public void onClientClosed() {
    }
  }

  @BeforeEach
  void setUp() {
    logged.start();
    logger.addAppender(logged);
  }

  @AfterEach
  void tearDown() {
    logger.detachAppender(logged);
    channel.finishAndReleaseAll();
  }

  private static HttpRequest get(String uri) {
    HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    request.headers().set(HttpHeaderNames.HOST, "gateway.test");
    return request;
  }

  private static void answer(ClientRequest client) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        Unpooled.copiedBuffer(client.pathAndQuery(), StandardCharsets.US_ASCII));
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    client.answerWhole(response);
  }

  @Test
  void pipelinedRequests_answeredOneAtATimeInOrder_andTheNextReadOnlyOnceAllAreAnswered() {
    channel = EmbeddedEdge.channel(SERVICES, Recorded::new, reads);
    int readsAtOpen = reads.count;
    channel.writeInbound(get("/books/1"), LastHttpContent.EMPTY_LAST_CONTENT, get("/books/2"),
        LastHttpContent.EMPTY_LAST_CONTENT);
    assertThat(started).extracting(ClientRequest::pathAndQuery).containsExactly("/books/1");
    assertThat(reads.count).as("no read while /books/2 waits").isEqualTo(readsAtOpen);

    answer(started.get(0));
    assertThat(started).extracting(ClientRequest::pathAndQuery).containsExactly("/books/1", "/books/2");
    answer(started.get(1));

    for (String expected : List.of("/books/1", "/books/2")) {
      FullHttpResponse response = channel.readOutbound();
      assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
      assertThat(response.content().toString(StandardCharsets.US_ASCII)).isEqualTo(expected);
      response.release();
    }
    assertThat(reads.count).as("reads for the third request").isEqualTo(readsAtOpen + 1);
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void unexpectedException_beforeAnyHead_500WithConnectionClose_loggedWithTheException_thenClosed() {
    channel = EmbeddedEdge.channel(SERVICES, client -> new Recorded(client) {
      @Override
      public void start() {
        throw new IllegalStateException("a responder's bug");
      }
    });
    HttpContent body = new DefaultLastHttpContent(Unpooled.copiedBuffer("x", StandardCharsets.US_ASCII));
    HttpRequest post = get("/books/notes");
    post.setMethod(HttpMethod.POST);
    post.headers().set(HttpHeaderNames.CONTENT_LENGTH, 1);
    channel.writeInbound(post, body);

    FullHttpResponse response = channel.readOutbound();
    assertThat(response.status()).isEqualTo(HttpResponseStatus.INTERNAL_SERVER_ERROR);
    assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo(HttpHeaderValues.CLOSE.toString());
    assertThat(response.content().toString(StandardCharsets.UTF_8)).startsWith("500 Internal Server Error: ");
    response.release();
    assertThat((Object) channel.readOutbound()).isNull();
    assertThat(channel.isOpen()).isFalse();
    assertThat(body.refCnt()).as("the body that waited is released").isZero();
    assertThat(logged.list).hasSize(1);
    ILoggingEvent line = logged.list.get(0);
    assertThat(line.getLevel()).isEqualTo(Level.WARN);
    assertThat(line.getFormattedMessage()).isEqualTo("client connection embedded failed, 500 for POST /books/notes");
    assertThat(line.getThrowableProxy().getMessage()).isEqualTo("a responder's bug");
  }

  @Test
  void unexpectedException_aResponderThatAlsoFailsToLetGo_still500AndClosed() {
    channel = EmbeddedEdge.channel(SERVICES, client -> new Recorded(client) {
      @Override
      public void start() {
        throw new IllegalStateException("a responder's bug");
      }

      @Override
      public void onClientClosed() {
        throw new IllegalStateException("and another");
      }
    });
    channel.writeInbound(get("/books/a"), LastHttpContent.EMPTY_LAST_CONTENT);

    FullHttpResponse response = channel.readOutbound();
    assertThat(response.status()).isEqualTo(HttpResponseStatus.INTERNAL_SERVER_ERROR);
    response.release();
    assertThat(channel.isOpen()).isFalse();
    assertThat(logged.list).hasSize(1);
    assertThat(logged.list.get(0).getThrowableProxy().getSuppressed()).hasSize(1);
  }

  @Test
  void unexpectedException_afterTheHead_closesWithoutA500_soTheCutBodyNeverLooksComplete() {
    channel = EmbeddedEdge.channel(SERVICES, Recorded::new);
    channel.writeInbound(get("/books/big"), LastHttpContent.EMPTY_LAST_CONTENT);
    ClientRequest client = started.get(0);
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_LENGTH, 1000);
    client.prepareHead(head);
    channel.writeAndFlush(head);

    channel.pipeline().fireExceptionCaught(new IllegalStateException("a slice went missing"));

    assertThat((Object) channel.readOutbound()).isSameAs(head);
    assertThat((Object) channel.readOutbound()).as("no 500 after a head").isNull();
    assertThat(channel.isOpen()).isFalse();
    assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("client connection embedded failed: java.lang.IllegalStateException: a slice went missing");
  }

  @Test
  void brokenConnection_closesQuietly_evenBeforeAnyHead() {
    channel = EmbeddedEdge.channel(SERVICES, Recorded::new);
    channel.writeInbound(get("/books/a"), LastHttpContent.EMPTY_LAST_CONTENT);

    channel.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));

    assertThat((Object) channel.readOutbound()).isNull();
    assertThat(channel.isOpen()).isFalse();
    assertThat(logged.list).as("no warning (a debug line)").isEmpty();
  }

  @Test
  void betweenRequests_anUnexpectedException_closesWithoutAnAnswer() {
    channel = EmbeddedEdge.channel(SERVICES, Recorded::new);

    channel.pipeline().fireExceptionCaught(new IllegalStateException("no request"));

    assertThat((Object) channel.readOutbound()).isNull();
    assertThat(channel.isOpen()).isFalse();
    assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("client connection embedded failed: java.lang.IllegalStateException: no request");
  }
}
