package fr.acclermont.loadtest.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The student timeline: one bar per student, sorted by start time, on a time axis from the
 * round's start. A student opening a book has a light segment while it waits for the manifest, a
 * strong one while it loads the assets, ending at book open, then a grey one while it reads the
 * PDF; a student reading a PDF or a video only has one green bar. A book that never opened is red.
 * Hovering a bar shows the student's figures.
 */
final class TimelineChart {

  /** The SVG title, which tests look for. */
  static final String TITLE = "Student timeline";

  private static final int WIDTH = 760;
  private static final int LEFT = 64;
  private static final int RIGHT = 740;
  private static final int TOP = 64;
  private static final int AXIS_SPACE = 50;
  private static final int TARGET_PLOT_HEIGHT = 320;
  private static final int MIN_ROW = 2;
  private static final int MAX_ROW = 14;
  private static final double NANOS_PER_SECOND = 1e9;
  private static final String MANIFEST = "#9ecae1";
  private static final String ASSETS = "#2171b5";
  private static final String READING = "#bdbdbd";
  private static final String MEDIA = "#41ab5d";
  private static final String FAILED = "#de2d26";
  private static final String AXIS = "#444";
  private static final String GRID = "#e4e4e4";

  private TimelineChart() {}

  /** Returns the timeline of {@code round} as an SVG element. */
  static String render(RoundResult round) {
    List<StudentRecord> students = new ArrayList<>(round.students());
    students.sort(Comparator.comparingLong(StudentRecord::startNanos).thenComparingInt(StudentRecord::id));
    int count = Math.max(1, students.size());
    int row = Math.max(MIN_ROW, Math.min(MAX_ROW, TARGET_PLOT_HEIGHT / count));
    int bottom = TOP + row * count;
    Svg svg = new Svg(WIDTH, bottom + AXIS_SPACE, TITLE,
        "One bar per student from its start to its book open (and on to its last request), by start time.");
    svg.text(LEFT, 22, "Time to book open, one bar per student", "start", 14, "#222", true);
    legend(svg, students);
    double end = students.stream().mapToLong(StudentRecord::doneNanos).max().orElse(0) / NANOS_PER_SECOND;
    double step = niceStep(end);
    double axisEnd = Math.max(step, Math.ceil(end / step) * step);
    long ticks = Math.round(axisEnd / step);
    for (long tick = 0; tick <= ticks; tick++) {
      double t = tick * step;
      double x = x(t, axisEnd);
      svg.line(x, TOP, x, bottom, GRID, 1, null);
      svg.text(x, bottom + 16, seconds(t, step), "middle", 11, AXIS, false);
    }
    svg.text((LEFT + RIGHT) / 2.0, bottom + 38, "time since the round started", "middle", 12, AXIS, false);
    svg.verticalText(24, (TOP + bottom) / 2.0, "students, by start", 12, AXIS);
    double barHeight = Math.max(1, row - (row > 4 ? 2 : 0.5));
    for (int i = 0; i < students.size(); i++) {
      StudentRecord s = students.get(i);
      double y = TOP + i * row + (row - barHeight) / 2;
      svg.group(tooltip(s));
      double start = s.startNanos() / NANOS_PER_SECOND;
      double done = s.doneNanos() / NANOS_PER_SECOND;
      if (!s.opensBook()) {
        bar(svg, start, done, y, barHeight, s.failed() > 0 ? FAILED : MEDIA, axisEnd);
      } else if (!s.bookOpened()) {
        bar(svg, start, done, y, barHeight, FAILED, axisEnd);
      } else {
        double manifest = s.manifestNanos() / NANOS_PER_SECOND;
        double open = s.bookOpenNanos() / NANOS_PER_SECOND;
        bar(svg, start, manifest, y, barHeight, MANIFEST, axisEnd);
        bar(svg, manifest, open, y, barHeight, ASSETS, axisEnd);
        bar(svg, open, done, y + barHeight / 4, barHeight / 2, READING, axisEnd);
      }
      svg.endGroup();
    }
    svg.line(LEFT, bottom, RIGHT, bottom, AXIS, 1, null);
    svg.line(LEFT, TOP, LEFT, bottom, AXIS, 1, null);
    return svg.finish();
  }

  private static void legend(Svg svg, List<StudentRecord> students) {
    boolean books = students.stream().anyMatch(StudentRecord::opensBook);
    boolean media = students.stream().anyMatch(s -> !s.opensBook());
    boolean failed = students.stream().anyMatch(s -> s.opensBook() ? !s.bookOpened() : s.failed() > 0);
    List<String[]> items = new ArrayList<>();
    if (books) {
      items.add(new String[] {MANIFEST, "waiting for the manifest"});
      items.add(new String[] {ASSETS, "loading assets, until book open"});
      items.add(new String[] {READING, "reading the PDF"});
    }
    if (media) {
      items.add(new String[] {MEDIA, "reading a PDF or a video only"});
    }
    if (failed) {
      items.add(new String[] {FAILED, "failed"});
    }
    double x = LEFT;
    for (String[] item : items) {
      svg.rect(x, 34, 14, 10, item[0], null);
      svg.text(x + 18, 43, item[1], "start", 11, "#222", false);
      x += 22 + item[1].length() * 6.2;
    }
  }

  private static void bar(Svg svg, double from, double to, double y, double height, String fill, double axisEnd) {
    double x1 = x(from, axisEnd);
    // At least a pixel, so an instant step still shows.
    double width = Math.max(1, x(to, axisEnd) - x1);
    svg.rect(x1, y, width, height, fill, null);
  }

  private static String tooltip(StudentRecord s) {
    StringBuilder text = new StringBuilder()
        .append("student ").append(s.id()).append(" (class ").append(s.group()).append(", ").append(s.activity())
        .append("): start ").append(seconds(s.startNanos()));
    if (s.manifestNanos() >= 0) {
      text.append(", manifest at ").append(seconds(s.manifestNanos()));
    }
    if (s.bookOpened()) {
      text.append(", book open at ").append(seconds(s.bookOpenNanos())).append(" (")
          .append(Figures.duration((s.bookOpenNanos() - s.startNanos()) / 1e6)).append(" after start)");
    } else if (s.opensBook()) {
      text.append(", book never opened");
    }
    text.append(", done at ").append(seconds(s.doneNanos())).append("; ").append(s.requests()).append(" requests, ")
        .append(s.failed()).append(" failed, ").append(Figures.bytes(s.bytes()));
    return text.toString();
  }

  private static double x(double seconds, double axisEnd) {
    return LEFT + (RIGHT - LEFT) * Math.max(0, Math.min(1, seconds / axisEnd));
  }

  /** A step of 1, 2 or 5 times a power of ten that cuts {@code span} into 5 to 10 intervals. */
  static double niceStep(double span) {
    if (span <= 0) {
      return 0.1;
    }
    double raw = span / 8;
    double power = Math.pow(10, Math.floor(Math.log10(raw)));
    double fraction = raw / power;
    double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
    return nice * power;
  }

  private static String seconds(double t, double step) {
    return step >= 1 ? String.format(Locale.ROOT, "%.0f s", t)
        : step >= 0.1 ? String.format(Locale.ROOT, "%.1f s", t) : String.format(Locale.ROOT, "%.2f s", t);
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.3f s", nanos / NANOS_PER_SECOND);
  }
}
