package fr.acclermont.gateway.server;

import fr.acclermont.gateway.origin.FetchRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;

/** Builds the origin request of slice fetches from the client request that causes them. */
final class FetchRequests {

  /** The client's own range and preconditions: slice fetches choose their range, the gateway answers these. */
  private static final List<AsciiString> CLIENT_ONLY = List.of(HttpHeaderNames.RANGE, HttpHeaderNames.IF_RANGE,
      HttpHeaderNames.IF_NONE_MATCH, HttpHeaderNames.IF_MODIFIED_SINCE, HttpHeaderNames.IF_MATCH,
      HttpHeaderNames.IF_UNMODIFIED_SINCE);

  private FetchRequests() {
  }

  static FetchRequest of(ClientRequest client) {
    HttpHeaders headers = client.originHeaders();
    CLIENT_ONLY.forEach(headers::remove);
    headers.remove(HttpHeaderNames.CONTENT_LENGTH);
    // A probe's interim responses (103 Early Hints) go to this client, ahead of its final response.
    return new FetchRequest(client.route(), client.originTarget(), headers, client.request().headers(),
        client::interim);
  }
}
