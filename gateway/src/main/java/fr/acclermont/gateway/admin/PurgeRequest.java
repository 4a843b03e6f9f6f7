package fr.acclermont.gateway.admin;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a {@code POST /purge} asks: exactly one of {@code url=} and {@code prefix=}, in the query
 * or in a form body ({@code application/x-www-form-urlencoded}, what an HTML form and
 * {@code curl -d} send), each at most once, nothing else. The value is URL-decoded once, as every
 * query parameter is; {@code ;} is part of a value, not a separator.
 *
 * @param kind {@code url} or {@code prefix}
 * @param value the decoded value, not checked yet ({@link fr.acclermont.gateway.server.Purges})
 */
record PurgeRequest(String kind, String value) {

  /**
   * Parameters read from the query, and from the form; any beyond are not read (a purge has one,
   * and the ones read are then more than one, or unknown: refused all the same).
   */
  private static final int MAX_PARAMETERS = 8;
  /** The longest name echoed in a message. */
  private static final int MAX_ECHOED = 40;

  /** The request's parameters are not one {@code url=} or one {@code prefix=}; the message says why. */
  static final class MalformedException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
      super(message);
    }
  }

  /**
   * Reads the parameters of {@code request}.
   *
   * @throws MalformedException with the message of a 400
   */
  static PurgeRequest of(FullHttpRequest request) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    add(parameters, decode(request.uri(), true, "the query"));
    if (request.content().isReadable()) {
      String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
      if (!type.toLowerCase(Locale.ROOT).startsWith(HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED.toString())) {
        throw new MalformedException("a body must be a form (Content-Type: application/x-www-form-urlencoded);"
            + " or send no body and url= or prefix= in the query");
      }
      add(parameters, decode(request.content().toString(StandardCharsets.UTF_8), false, "the form"));
    }
    for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
      String name = parameter.getKey();
      if (!name.equals("url") && !name.equals("prefix")) {
        throw new MalformedException("unknown parameter " + echoed(name) + ": give url= or prefix=");
      }
      if (parameter.getValue().size() > 1) {
        throw new MalformedException(name + "= given " + parameter.getValue().size() + " times: give it once");
      }
    }
    if (parameters.containsKey("url") && parameters.containsKey("prefix")) {
      throw new MalformedException("both url= and prefix= given: give one of them");
    }
    if (parameters.isEmpty()) {
      throw new MalformedException("missing url= or prefix=: give one of them");
    }
    String kind = parameters.containsKey("url") ? "url" : "prefix";
    String value = parameters.get(kind).get(0);
    if (value.isEmpty()) {
      throw new MalformedException(kind + "= is empty");
    }
    return new PurgeRequest(kind, value);
  }

  private static Map<String, List<String>> decode(String text, boolean hasPath, String where) {
    try {
      return new QueryStringDecoder(text, StandardCharsets.UTF_8, hasPath, MAX_PARAMETERS, true).parameters();
    } catch (IllegalArgumentException e) {
      throw new MalformedException(where + " is not validly URL-encoded: " + e.getMessage());
    }
  }

  private static void add(Map<String, List<String>> into, Map<String, List<String>> parameters) {
    parameters.forEach((name, values) -> into.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
  }

  /** A name as a message shows it: control characters replaced, cut. */
  private static String echoed(String name) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length() && i < MAX_ECHOED; i++) {
      char c = name.charAt(i);
      out.append(Character.isISOControl(c) ? '?' : c);
    }
    return name.length() > MAX_ECHOED ? out.append("...").toString() : out.toString();
  }
}
