package fr.acclermont.loadtest.report;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A tiny SVG writer for inline charts: shapes and text appended in order, every attribute value
 * and text escaped. No namespace URL is written: SVG inline in HTML5 needs none, and the report
 * must hold no external URL. Not thread-safe; one per chart.
 */
final class Svg {

  private final StringBuilder out = new StringBuilder(16 * 1024);

  /**
   * Starts an SVG of {@code width} x {@code height} pixels whose accessible name is {@code title}
   * (a {@code <title>} element, which browsers also show as a tooltip).
   */
  Svg(int width, int height, String title, String description) {
    out.append("<svg class=\"chart\" width=\"").append(width).append("\" height=\"").append(height)
        .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" role=\"img\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n")
        .append("<title>").append(escape(title)).append("</title>\n")
        .append("<desc>").append(escape(description)).append("</desc>\n");
  }

  /** Draws a filled rectangle, with a tooltip if {@code tooltip} is not {@code null}. */
  Svg rect(double x, double y, double width, double height, String fill, @Nullable String tooltip) {
    out.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"")
        .append(n(Math.max(0, width))).append("\" height=\"").append(n(Math.max(0, height)))
        .append("\" fill=\"").append(escape(fill)).append('"');
    if (tooltip == null) {
      out.append("/>\n");
    } else {
      out.append("><title>").append(escape(tooltip)).append("</title></rect>\n");
    }
    return this;
  }

  /** Draws a line; {@code dash} is a {@code stroke-dasharray} such as {@code 4 3}, or {@code null}. */
  Svg line(double x1, double y1, double x2, double y2, String stroke, double width, @Nullable String dash) {
    out.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2))
        .append("\" y2=\"").append(n(y2)).append("\" stroke=\"").append(escape(stroke))
        .append("\" stroke-width=\"").append(n(width)).append('"');
    dash(dash);
    out.append("/>\n");
    return this;
  }

  /** Draws a polyline through the points {@code (xs[i], ys[i])}. */
  Svg polyline(double[] xs, double[] ys, String stroke, double width, @Nullable String dash) {
    out.append("<polyline fill=\"none\" stroke=\"").append(escape(stroke)).append("\" stroke-width=\"")
        .append(n(width)).append("\" stroke-linejoin=\"round\"");
    dash(dash);
    out.append(" points=\"");
    for (int i = 0; i < xs.length; i++) {
      out.append(i == 0 ? "" : " ").append(n(xs[i])).append(',').append(n(ys[i]));
    }
    out.append("\"/>\n");
    return this;
  }

  /** Draws a filled circle. */
  Svg circle(double cx, double cy, double r, String fill, @Nullable String tooltip) {
    out.append("<circle cx=\"").append(n(cx)).append("\" cy=\"").append(n(cy)).append("\" r=\"").append(n(r))
        .append("\" fill=\"").append(escape(fill)).append('"');
    if (tooltip == null) {
      out.append("/>\n");
    } else {
      out.append("><title>").append(escape(tooltip)).append("</title></circle>\n");
    }
    return this;
  }

  /** Writes text; {@code anchor} is {@code start}, {@code middle} or {@code end}. */
  Svg text(double x, double y, String text, String anchor, double size, String fill, boolean bold) {
    out.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" text-anchor=\"")
        .append(anchor).append("\" font-size=\"").append(n(size)).append("\" fill=\"").append(escape(fill))
        .append('"').append(bold ? " font-weight=\"bold\"" : "").append('>').append(escape(text))
        .append("</text>\n");
    return this;
  }

  /** Writes text rotated a quarter turn counter-clockwise around its anchor (a vertical axis label). */
  Svg verticalText(double x, double y, String text, double size, String fill) {
    out.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y))
        .append("\" text-anchor=\"middle\" font-size=\"").append(n(size)).append("\" fill=\"").append(escape(fill))
        .append("\" transform=\"rotate(-90 ").append(n(x)).append(' ').append(n(y)).append(")\">")
        .append(escape(text)).append("</text>\n");
    return this;
  }

  /** Opens a group whose tooltip is {@code tooltip}; close it with {@link #endGroup()}. */
  Svg group(String tooltip) {
    out.append("<g><title>").append(escape(tooltip)).append("</title>\n");
    return this;
  }

  /** Closes the group opened last. */
  Svg endGroup() {
    out.append("</g>\n");
    return this;
  }

  /** Returns the finished SVG element. */
  String finish() {
    return out + "</svg>\n";
  }

  /** Escapes text for XML and HTML content and attribute values. */
  static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }

  private void dash(@Nullable String dash) {
    if (dash != null) {
      out.append(" stroke-dasharray=\"").append(escape(dash)).append('"');
    }
  }

  private static String n(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e9) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%.1f", value);
  }
}
