package fr.acclermont.loadtest.report;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a run's JSON and HTML reports into a directory, as {@code <command>.json} and {@code <command>.html}. */
public final class ReportFiles {

  private ReportFiles() {}

  /**
   * Writes both reports into {@code directory} (created if needed), replacing earlier ones of the
   * same command, and returns their paths (JSON, then HTML).
   */
  public static List<Path> write(Path directory, RunReport report) throws IOException {
    requireNonNull(directory, "directory");
    requireNonNull(report, "report");
    Files.createDirectories(directory);
    Path json = directory.resolve(report.command() + ".json");
    Path html = directory.resolve(report.command() + ".html");
    Files.writeString(json, JsonReport.render(report), StandardCharsets.UTF_8);
    Files.writeString(html, HtmlReport.render(report), StandardCharsets.UTF_8);
    return List.of(json, html);
  }
}
