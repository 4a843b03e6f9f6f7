package fr.acclermont.gateway.origin;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.config.OriginConfig;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The order in which a route's requests try its upstreams ({@link OriginRoute#order}): the origin
 * alone without parents, the origin always last, parents by rendezvous score, so that dropping a
 * parent moves only the targets it had; and a request re-aimed at a parent ({@link Upstream#aim}).
 */
class UpstreamOrderTest {

  private static final OriginConnectionPool.Connector NEVER = (upstream, loop) -> {
    throw new AssertionError("no connection expected");
  };

  @Test
  void noParents_theOriginAlone() {
    OriginRoute route = route(List.of());

    assertThat(route.order("/books/a")).containsExactly(route.origin());
  }

  @Test
  void parents_eachOnceThenTheOrigin_sameOrderForTheSameTarget() {
    OriginRoute route = route(parents(3));

    for (int i = 0; i < 50; i++) {
      List<Upstream> order = route.order("/books/" + i);
      assertThat(order).hasSize(4).doesNotHaveDuplicates().endsWith(route.origin());
      assertThat(order.subList(0, 3)).containsExactlyInAnyOrderElementsOf(route.parents());
      assertThat(route.order("/books/" + i)).isEqualTo(order);
    }
  }

  @Test
  void droppingAParent_movesOnlyItsTargets_toTheirNextParent() {
    OriginRoute three = route(parents(3));
    OriginRoute two = route(parents(3).subList(0, 2));
    int moved = 0;
    for (int i = 0; i < 1000; i++) {
      String target = "/books/maths/page-" + i;
      URI firstOfThree = three.order(target).get(0).url();
      URI firstOfTwo = two.order(target).get(0).url();
      if (firstOfThree.equals(URI.create("http://academie-3.example"))) {
        moved++;
        assertThat(firstOfTwo).as(target).isEqualTo(three.order(target).get(1).url());
      } else {
        assertThat(firstOfTwo).as("a target of a parent still there stays on it: " + target).isEqualTo(firstOfThree);
      }
    }
    assertThat(moved).as("about a third of the targets were on the dropped parent").isBetween(250, 420);
  }

  @Test
  void aim_atAParent_itsBasePathForTheOriginsAndItsHost() {
    OriginRoute route = new OriginRoute(config(URI.create("http://cloud.example/textbooks"),
        List.of(URI.create("http://academie.example:8080/tier"))), NEVER);
    HttpRequest forOrigin = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, route.targetFor("/books/a?x=1"),
        new DefaultHttpHeaders().set(HttpHeaderNames.HOST, route.authority()).set(HttpHeaderNames.RANGE, "bytes=0-9"));

    HttpRequest aimed = route.parents().get(0).aim(forOrigin);

    assertThat(aimed.uri()).isEqualTo("/tier/books/a?x=1");
    assertThat(aimed.headers().get(HttpHeaderNames.HOST)).isEqualTo("academie.example:8080");
    assertThat(aimed.headers().get(HttpHeaderNames.RANGE)).as("the slice Range, unchanged").isEqualTo("bytes=0-9");
    assertThat(forOrigin.uri()).as("the original, left for the next upstream").isEqualTo("/textbooks/books/a?x=1");
    assertThat(route.origin().aim(forOrigin)).isSameAs(forOrigin);
  }

  private static List<URI> parents(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> URI.create("http://academie-" + i + ".example")).toList();
  }

  private static OriginRoute route(List<URI> parents) {
    return new OriginRoute(config(URI.create("http://cloud.example"), parents), NEVER);
  }

  private static OriginConfig config(URI url, List<URI> parents) {
    OriginConfig base = OriginConfig.withDefaults("cloud", url);
    return new OriginConfig(base.name(), base.url(), base.paths(), Duration.ofSeconds(1), Duration.ofSeconds(1),
        Duration.ofSeconds(1), 4, 4, base.tls(), parents);
  }
}
