package fr.acclermont.loadtest.classroom;

import static org.assertj.core.api.Assertions.assertThat;

import fr.acclermont.gateway.demo.Book;
import fr.acclermont.gateway.demo.DemoOrigin;
import fr.acclermont.gateway.demo.DemoOriginOptions;
import fr.acclermont.gateway.demo.OriginStats;
import fr.acclermont.loadtest.client.LoadClient;
import fr.acclermont.loadtest.client.RangeSpec;
import fr.acclermont.loadtest.client.RequestKind;
import fr.acclermont.loadtest.client.RequestSpec;
import fr.acclermont.loadtest.client.Target;
import fr.acclermont.loadtest.report.RoundResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A student opens a book as a browser with a pdf.js-style viewer does: the manifest, then every
 * asset at once, then the PDF's last 64 KiB (where its cross-reference table is), then
 * {@code --pdf-pages} 64 KiB ranges from the start, each after the previous one. Seen from the
 * origin, which records every {@code Range} header in the order received.
 */
class PdfReadingTest {

  private static final long PAGE = 64 * 1024;

  private DemoOrigin origin;

  @BeforeEach
  void start() {
    origin = DemoOrigin.start(DemoOriginOptions.builder().build());
  }

  @AfterEach
  void stop() {
    origin.close();
  }

  @Test
  void oneStudent_originSeesTheEndOfTheFileFirstThenSequentialPages() throws Exception {
    Book book = origin.catalog().books().get(0);
    int pages = 4;
    Classroom.Settings settings = new Classroom.Settings(Target.parse(origin.baseUri().toString()), null, 1, null,
        Duration.ZERO, 1, 1, pages, Duration.ofSeconds(30), Duration.ofMinutes(1), null);

    RoundResult round = Classroom.run(settings, new PrintWriter(new StringWriter())).rounds().get(0);

    assertThat(round.failed()).isZero();
    List<String> expected = new ArrayList<>(List.of("bytes=-" + PAGE));
    for (int page = 0; page < pages; page++) {
      expected.add("bytes=" + page * PAGE + "-" + ((page + 1) * PAGE - 1));
    }
    assertThat(origin.stats().rangeHeaders(book.pdfPath())).containsExactlyElementsOf(expected);
    // The target is the origin, so its counts are reset before the round: the student's requests alone.
    assertThat(origin.stats().requests(book.manifestPath())).isEqualTo(1);
    assertThat(origin.stats().requests()).isEqualTo(round.requests());
    // Sent ranges are listed as their first write completes, on the event loop of their connection:
    // the next request, on another connection, may be listed first (the order is the headers' above).
    assertThat(origin.stats().sentRanges(book.pdfPath())).as("the suffix ends the file")
        .contains(new OriginStats.SentRange(book.pdfSize() - PAGE, book.pdfSize()));
  }

  @Test
  void openBook_batches_manifestThenEveryAssetAtOnceThenSuffixThenOnePagePerBatch() throws Exception {
    TargetCatalog catalog = TargetCatalog.parse(origin.catalog().toJson().getBytes());
    CatalogBook book = catalog.books().get(0);
    BookManifest manifest;
    try (LoadClient client = TargetSetup.startClient(Target.parse(origin.baseUri().toString()),
        Duration.ofSeconds(10))) {
      manifest = TargetSetup.manifest(client, book);
    }

    StudentPlan plan = Plans.openBook(book, manifest, catalog.seed(), 3);

    List<StudentPlan.Batch> batches = plan.batches();
    assertThat(batches).hasSize(2 + 1 + 3);
    assertThat(batches.get(0).requests()).singleElement()
        .satisfies(r -> assertThat(r.kind()).isEqualTo(RequestKind.MANIFEST));
    assertThat(batches.get(1).requests()).hasSize(manifest.assets().size())
        .allSatisfy(r -> assertThat(r.kind()).isEqualTo(RequestKind.ASSET));
    assertThat(plan.bookOpenBatch()).as("book open: the end of the assets").isEqualTo(1);
    List<RangeSpec> ranges = batches.subList(2, batches.size()).stream()
        .map(batch -> batch.requests().get(0)).peek(r -> assertThat(r.kind()).isEqualTo(RequestKind.RANGE))
        .peek(r -> assertThat(r.verifier()).as("PDF bytes verified").isNotNull())
        .map(RequestSpec::range).toList();
    assertThat(ranges).containsExactly(RangeSpec.suffix(PAGE), RangeSpec.of(0, PAGE), RangeSpec.of(PAGE, PAGE),
        RangeSpec.of(2 * PAGE, PAGE));
  }

  @Test
  void schedule_startsSpreadUniformlyOverTheSpreadFromTheSeed() throws Exception {
    Duration spread = Duration.ofSeconds(1);
    Classroom.Settings settings = new Classroom.Settings(Target.parse("http://127.0.0.1:1"), null, 1000, null,
        spread, 1, 7, 0, Duration.ofSeconds(30), Duration.ofMinutes(1), null);
    StudentPlan plan = new StudentPlan(Plans.BOOK, List.of(), -1);

    List<Participant> students = Classroom.schedule(settings, plan);

    assertThat(students).hasSize(1000)
        .allSatisfy(p -> assertThat(p.offsetNanos()).isBetween(0L, spread.toNanos() - 1));
    assertThat(Classroom.schedule(settings, plan)).isEqualTo(students);
    // Uniform: each tenth of the spread holds about a tenth of the students (seed fixed, no flake).
    int[] tenths = new int[10];
    students.forEach(p -> tenths[(int) (p.offsetNanos() * 10 / spread.toNanos())]++);
    assertThat(java.util.Arrays.stream(tenths).boxed().toList())
        .allSatisfy(count -> assertThat(count).isBetween(70, 130));
  }
}
