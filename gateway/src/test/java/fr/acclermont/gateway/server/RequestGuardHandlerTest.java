package fr.acclermont.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@link RequestGuardHandler} behind a {@link RequestFlowControl} on an {@link EmbeddedChannel}: an
 * accepted head goes on with its route, a refused one is answered with its status and a log line,
 * and the connection closes (after the body it declared, read and dropped).
 */
class RequestGuardHandlerTest {

  private static final GatewayServices SERVICES = EmbeddedEdge.services();

  private final Logger logger = (Logger) LoggerFactory.getLogger(RequestGuardHandler.class);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final List<Object> passed = new ArrayList<>();
  private EmbeddedChannel channel;

  /** What the dispatch would receive; it takes everything. */
  private final class Next extends ChannelInboundHandlerAdapter implements RequestFlowControl.Consumer {
    @Override
    public boolean accepts(HttpObject msg) {
      return true;
    }

    @Override
    public boolean wantsInput() {
      return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      passed.add(msg);
    }
  }

  @BeforeEach
  void setUp() {
    logged.start();
    logger.addAppender(logged);
    channel = new EmbeddedChannel(false, false);
    channel.config().setAutoRead(false);
    RequestHeadTimeoutHandler headTimeout = EmbeddedEdge.headTimeout(SERVICES);
    RequestFlowControl flowControl = new RequestFlowControl();
    Next next = new Next();
    flowControl.consumer(next);
    channel.pipeline()
        .addLast("head-timeout", headTimeout)
        .addLast("flow-control", flowControl)
        .addLast("guard", new RequestGuardHandler(SERVICES.requestGuard(), SERVICES, headTimeout, flowControl, null, null))
        .addLast("next", next);
    EmbeddedEdge.register(channel);
    channel.freezeTime();
  }

  @AfterEach
  void tearDown() {
    logger.detachAppender(logged);
    channel.finishAndReleaseAll();
  }

  private static HttpRequest request(HttpMethod method, String uri) {
    HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
    request.headers().set(HttpHeaderNames.HOST, "gateway.test");
    return request;
  }

  @Test
  void acceptedHead_goesOnWithItsRouteAndTarget_andItsBodyUntouched() {
    HttpRequest post = request(HttpMethod.POST, "/books/notes?page=2");
    post.headers().set(HttpHeaderNames.CONTENT_LENGTH, 4);
    HttpContent body = new DefaultLastHttpContent(Unpooled.copiedBuffer("note", StandardCharsets.US_ASCII));
    channel.writeInbound(post, body);

    assertThat(passed).hasSize(2);
    AcceptedRequest accepted = (AcceptedRequest) passed.get(0);
    assertThat(accepted.head()).isSameAs(post);
    assertThat(accepted.verdict().route().name()).isEqualTo("cloud");
    assertThat(accepted.verdict().pathAndQuery()).isEqualTo("/books/notes?page=2");
    assertThat(passed.get(1)).isSameAs(body);
    assertThat(body.refCnt()).as("the next handler owns it").isEqualTo(1);
    assertThat((Object) channel.readOutbound()).isNull();
    assertThat(channel.isOpen()).isTrue();
    body.release();
  }

  @Test
  void headWithoutHost_400WithALogLine_andTheConnectionCloses() {
    HttpRequest noHost = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/books/a.png");
    channel.writeInbound(noHost);

    FullHttpResponse response = channel.readOutbound();
    assertThat(response.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
    assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo(HttpHeaderValues.CLOSE.toString());
    assertThat(response.content().toString(StandardCharsets.UTF_8)).contains("HTTP/1.1 request without Host");
    response.release();
    assertThat(passed).as("nothing reaches the dispatch").isEmpty();
    assertThat(channel.isOpen()).isFalse();
    assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("400 to embedded for GET /books/a.png: HTTP/1.1 request without Host");
  }

  @Test
  void pathWithoutOrigin_404_andWhatWasPipelinedBehindIsReleased() {
    HttpRequest unrouted = request(HttpMethod.GET, "/elsewhere");
    HttpContent end = new DefaultLastHttpContent();
    HttpRequest next = request(HttpMethod.GET, "/books/a.png");
    channel.writeInbound(unrouted, end, next);

    FullHttpResponse response = channel.readOutbound();
    assertThat(response.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
    response.release();
    assertThat((Object) channel.readOutbound()).as("one answer, then the close").isNull();
    assertThat(passed).isEmpty();
    assertThat(end.refCnt()).isZero();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void declaredBodyTooLarge_413_thenTheBodyIsReadAndDropped_andTheConnectionClosesAtItsEnd() {
    HttpRequest upload = request(HttpMethod.POST, "/books/upload");
    upload.headers().set(HttpHeaderNames.CONTENT_LENGTH, 5000);
    channel.writeInbound(upload);

    FullHttpResponse response = channel.readOutbound();
    assertThat(response.status()).isEqualTo(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
    assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo(HttpHeaderValues.CLOSE.toString());
    response.release();
    assertThat(channel.isOpen()).as("lingers to read the body it declared").isTrue();

    HttpContent piece = new DefaultHttpContent(Unpooled.copiedBuffer(new byte[4000]));
    channel.writeInbound(piece);
    assertThat(piece.refCnt()).isZero();
    assertThat(channel.isOpen()).isTrue();
    HttpContent last = new DefaultLastHttpContent(Unpooled.copiedBuffer(new byte[1000]));
    channel.writeInbound(last);
    assertThat(last.refCnt()).isZero();
    assertThat(channel.isOpen()).isFalse();
    assertThat(passed).isEmpty();
    assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("413 to embedded for POST /books/upload: body of 5000 bytes (limit 4096)");
  }
}
