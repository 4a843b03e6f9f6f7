package fr.acclermont.gateway.demo;

/**
 * Picks the content coding of a response from the request's {@code Accept-Encoding} (RFC 9110
 * §12.5.3): brotli when it is acceptable and available, else gzip when acceptable, else identity.
 *
 * <p>A coding is acceptable when it is listed with a weight above 0, or when {@code *} is and it
 * is not listed. A higher weight wins; between equal weights brotli beats gzip (smaller). No
 * header, or only {@code identity}, means identity. Identity is also the answer when nothing is
 * acceptable ({@code identity;q=0}): as nginx does, the origin sends the resource as it is rather
 * than a 415. Pure and thread-safe.
 */
final class AcceptEncoding {

  private AcceptEncoding() {}

  /** Returns the coding to send to a request whose {@code Accept-Encoding} is {@code header} (may be null). */
  static ContentCoding choose(String header) {
    if (header == null || header.isBlank()) {
      return ContentCoding.IDENTITY;
    }
    double br = weight(header, ContentCoding.BR);
    double gzip = weight(header, ContentCoding.GZIP);
    if (ContentCoding.BR.available() && br > 0 && br >= gzip) {
      return ContentCoding.BR;
    }
    return gzip > 0 ? ContentCoding.GZIP : ContentCoding.IDENTITY;
  }

  /** Returns the weight {@code header} gives {@code coding}: its own, else that of {@code *}, else 0. */
  private static double weight(String header, ContentCoding coding) {
    double wildcard = 0;
    for (String element : header.split(",")) {
      String[] parts = element.split(";");
      String token = parts[0].trim();
      double q = quality(parts);
      if (token.equals("*")) {
        wildcard = q;
      } else if (ContentCoding.ofToken(token) == coding) {
        return q;
      }
    }
    return wildcard;
  }

  /** Reads {@code q=...} among the parameters; 1 when absent; 0 when malformed (not acceptable). */
  private static double quality(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim();
      if (parameter.length() > 2 && (parameter.charAt(0) == 'q' || parameter.charAt(0) == 'Q')
          && parameter.charAt(1) == '=') {
        try {
          double q = Double.parseDouble(parameter.substring(2).trim());
          return q >= 0 && q <= 1 ? q : 0;
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 1;
  }
}
