package fr.acclermont.gateway;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import fr.acclermont.gateway.cache.DiskTier;
import fr.acclermont.gateway.cache.MemoryTier;
import fr.acclermont.gateway.origin.FetchCoordinator;
import fr.acclermont.gateway.origin.SliceFetcher;
import fr.acclermont.gateway.server.GatewayServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of the gateway's main code, as {@code docs/architecture.md} draws it (#20).
 *
 * <p>A package here is a top-level package under {@code fr.acclermont.gateway} (with its
 * subpackages, if any); {@code (root)} stands for the classes of {@code fr.acclermont.gateway}
 * itself (the commands). The rules are read from the compiled main classes (ArchUnit; test classes
 * are not imported), and the imports of the main sources are checked against the same table, so an
 * import of a forbidden package fails even before anything uses it.
 *
 * <ul>
 *   <li>no cycle between packages;
 *   <li>{@code origin} uses nothing of {@code server}, {@code admin}, {@code prefetch},
 *       {@code status} or {@code reload};
 *   <li>{@code cache} uses nothing of {@code origin}, {@code server}, {@code admin},
 *       {@code prefetch}, {@code status}, {@code reload} or {@code security};
 *   <li>{@code config} and {@code http} use no other gateway package;
 *   <li>the tiers ({@code MemoryTier}, {@code DiskTier}) are reached only through the storage
 *       contract ({@code cache.Storage}): only {@code cache} itself and the wiring of the root
 *       package (which opens, meters and closes them) name them;
 *   <li>the client-facing packages reach the fetch side only through its interfaces
 *       ({@code origin.Fetches}, {@code origin.BackgroundFetches}): only {@code GatewayServices},
 *       which builds it, names {@code SliceFetcher} or {@code FetchCoordinator};
 *   <li>the dependencies between packages are exactly the table "| package | may depend on |" of
 *       {@code docs/architecture.md}: a new edge fails until the document names it, and an edge the
 *       document names but the code no longer has fails too, so the two cannot drift.
 * </ul>
 */
class ArchitectureTest {

  private static final String BASE = "fr.acclermont.gateway";
  private static final String ROOT = "(root)";
  private static final Path DOC = Path.of("docs", "architecture.md");
  private static final Path MAIN_SOURCES =
      Path.of("gateway", "src", "main", "java", "fr", "acclermont", "gateway");
  private static final Pattern IMPORT = Pattern.compile(
      "^import\\s+(?:static\\s+)?fr\\.acclermont\\.gateway\\.(\\w+)", Pattern.MULTILINE);

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(BASE);
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().assignedFrom(new TopLevelPackages()).should().beFreeOfCycles().check(classes);
  }

  @Test
  void originUsesNothingClientFacing() {
    noClasses().that().resideInAPackage(BASE + ".origin..")
        .should().dependOnClassesThat().resideInAnyPackage(
            BASE + ".server..", BASE + ".admin..", BASE + ".prefetch..", BASE + ".status..",
            BASE + ".reload..")
        .check(classes);
  }

  @Test
  void cacheUsesNeitherOriginNorServer() {
    noClasses().that().resideInAPackage(BASE + ".cache..")
        .should().dependOnClassesThat().resideInAnyPackage(
            BASE + ".origin..", BASE + ".server..", BASE + ".admin..", BASE + ".prefetch..",
            BASE + ".status..", BASE + ".reload..", BASE + ".security..")
        .check(classes);
  }

  @Test
  void tiersAreReachedOnlyThroughTheStorageContract() {
    noClasses().that().resideOutsideOfPackages(BASE + ".cache..", BASE)
        .should().dependOnClassesThat().belongToAnyOf(MemoryTier.class, DiskTier.class)
        .because("the server, the fetch side and the rest use cache.Storage, the storage contract")
        .check(classes);
  }

  @Test
  void theFetchSideIsReachedOnlyThroughItsInterfaces() {
    noClasses().that().resideInAnyPackage(BASE + ".server..", BASE + ".prefetch..", BASE + ".admin..",
            BASE + ".status..", BASE + ".reload..", BASE + ".security..")
        .and().doNotHaveFullyQualifiedName(GatewayServices.class.getName())
        .should().dependOnClassesThat().haveFullyQualifiedName(SliceFetcher.class.getName())
        .orShould().dependOnClassesThat().haveFullyQualifiedName(FetchCoordinator.class.getName())
        .because("the server uses origin.Fetches and the prefetch origin.BackgroundFetches")
        .check(classes);
  }

  @Test
  void configAndHttpUseNoOtherGatewayPackage() {
    for (String leaf : List.of("config", "http")) {
      noClasses().that().resideInAPackage(BASE + "." + leaf + "..")
          .should().dependOnClassesThat(resideInAPackage(BASE + "..")
              .and(not(resideInAPackage(BASE + "." + leaf + ".."))))
          .check(classes);
    }
  }

  @Test
  void classDependenciesAreTheDocumentedGraph() throws IOException {
    Map<String, Set<String>> actual = new TreeMap<>();
    for (JavaClass origin : classes) {
      String from = topLevel(origin.getPackageName());
      actual.computeIfAbsent(from, k -> new TreeSet<>());
      for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
        String target = dependency.getTargetClass().getBaseComponentType().getPackageName();
        if (isGateway(target) && !topLevel(target).equals(from)) {
          actual.get(from).add(topLevel(target));
        }
      }
    }
    assertThat(actual)
        .as("package graph of the main classes; %s should read:%n%s", DOC, table(actual))
        .isEqualTo(documentedGraph());
  }

  @Test
  void sourceImportsStayInsideTheDocumentedGraph() throws IOException {
    Map<String, Set<String>> documented = documentedGraph();
    Set<String> wrong = new TreeSet<>();
    Path sources = repository().resolve(MAIN_SOURCES);
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Path relative = sources.relativize(file);
        String from = relative.getNameCount() == 1 ? ROOT : relative.getName(0).toString();
        Matcher imports = IMPORT.matcher(Files.readString(file));
        while (imports.find()) {
          String first = imports.group(1);
          String to = Character.isUpperCase(first.charAt(0)) ? ROOT : first;
          if (!to.equals(from) && !documented.getOrDefault(from, Set.of()).contains(to)) {
            wrong.add(relative + " imports " + to);
          }
        }
      }
    }
    assertThat(wrong).as("imports that docs/architecture.md does not allow").isEmpty();
  }

  /** The table "| package | may depend on |" of docs/architecture.md. */
  static Map<String, Set<String>> documentedGraph() throws IOException {
    List<String> lines = Files.readAllLines(repository().resolve(DOC));
    int header = -1;
    for (int i = 0; i < lines.size(); i++) {
      List<String> cells = cells(lines.get(i));
      if (cells.equals(List.of("package", "may depend on"))) {
        header = i;
        break;
      }
    }
    assertThat(header).as("the table | package | may depend on | in %s", DOC).isNotNegative();
    Map<String, Set<String>> graph = new TreeMap<>();
    for (int i = header + 2; i < lines.size() && lines.get(i).trim().startsWith("|"); i++) {
      List<String> cells = cells(lines.get(i));
      assertThat(cells).as("row %s of the table in %s", lines.get(i), DOC).hasSize(2);
      Set<String> targets = new TreeSet<>();
      for (String target : cells.get(1).split(",")) {
        String name = target.replace("`", "").trim();
        if (!name.isEmpty() && !name.equals("—") && !name.equals("-")) {
          targets.add(name);
        }
      }
      assertThat(graph.put(cells.get(0).replace("`", ""), targets))
          .as("package %s listed twice in %s", cells.get(0), DOC).isNull();
    }
    return graph;
  }

  private static List<String> cells(String line) {
    String trimmed = line.trim();
    if (!trimmed.startsWith("|") || !trimmed.endsWith("|") || trimmed.length() < 2) {
      return List.of();
    }
    return Stream.of(trimmed.substring(1, trimmed.length() - 1).split("\\|", -1))
        .map(String::trim)
        .toList();
  }

  private static String table(Map<String, Set<String>> graph) {
    StringBuilder out = new StringBuilder("| package | may depend on |\n|---|---|\n");
    graph.forEach((from, to) -> out.append("| `").append(from).append("` | ")
        .append(to.isEmpty() ? "—" : "`" + String.join("`, `", to) + "`").append(" |\n"));
    return out.toString();
  }

  /** The repository's top directory: the working directory is the module's under Maven. */
  private static Path repository() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve(DOC))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("a directory above the working directory holding %s", DOC).isNotNull();
    return dir;
  }

  private static boolean isGateway(String packageName) {
    return packageName.equals(BASE) || packageName.startsWith(BASE + ".");
  }

  private static String topLevel(String packageName) {
    if (packageName.equals(BASE)) {
      return ROOT;
    }
    String rest = packageName.substring(BASE.length() + 1);
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }

  /** One slice per top-level package, {@code (root)} for the classes of the base package. */
  private static final class TopLevelPackages implements SliceAssignment {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
      String name = javaClass.getPackageName();
      return isGateway(name) ? SliceIdentifier.of(topLevel(name)) : SliceIdentifier.ignore();
    }

    @Override
    public String getDescription() {
      return "top-level packages of " + BASE;
    }
  }
}
