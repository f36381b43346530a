package io.minispod.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.core.importer.Locations;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import com.tngtech.archunit.library.GeneralCodingRules;
import io.minispod.k8s.archfixture.ProvisionerReachingTheCatalog;
import io.minispod.spring.archfixture.AdapterReachingCatalogInternals;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The architecture every module keeps, checked over the main classes of all of them. */
final class ArchitectureTest {

  /** The examples, read from their build output (the reactor builds them before this module). */
  private static final List<Path> EXAMPLES =
      Stream.of("benchmarks", "demo-app", "load-test", "plain-java")
          .map(example -> Paths.get("..", "examples", example, "target", "classes"))
          .toList();

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importLocations(
              Stream.concat(
                      Locations.ofPackage("io.minispod").stream(),
                      EXAMPLES.stream().map(Location::of))
                  .collect(Collectors.toSet()));

  /**
   * Which Maven module each package root belongs to: the unit that {@code internal} packages are
   * private to. Every imported class must be covered ({@link #everyClassBelongsToAModule}).
   */
  private static final Map<String, String> MODULES =
      Map.ofEntries(
          Map.entry("io.minispod.quota", "quota-core"),
          Map.entry("io.minispod.billing", "billing-core"),
          Map.entry("io.minispod.provisioner", "provisioner-spi"),
          Map.entry("io.minispod.catalog", "catalog-core"),
          Map.entry("io.minispod.subscription", "catalog-core"),
          Map.entry("io.minispod.broker", "broker-core"),
          Map.entry("io.minispod.k8s", "k8s-provisioner"),
          Map.entry("io.minispod.spring", "spring-adapter"),
          Map.entry("io.minispod.testkit", "testkit"),
          Map.entry("io.minispod.demo", "examples"),
          Map.entry("io.minispod.examples", "examples"),
          Map.entry("io.minispod.benchmarks", "examples"),
          Map.entry("io.minispod", "common"));

  private static final ArchRule PROVISIONERS_KNOW_ONLY_THE_SPI =
      noClasses()
          .that()
          .resideInAnyPackage("io.minispod.provisioner..", "io.minispod.k8s..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.minispod.catalog..",
              "io.minispod.subscription..",
              "io.minispod.quota..",
              "io.minispod.billing..",
              "io.minispod.spring..",
              "io.minispod.testkit..")
          .because("a provisioner plugin needs provisioner-spi and nothing of catalog-core");

  // classes().should(...), not noClasses(): a condition that reports violations must not be
  // negated, or a class that reaches in would count as compliant.
  private static final ArchRule INTERNALS_STAY_IN_THEIR_MODULE =
      ArchRuleDefinition.classes()
          .should(stayOutOfOtherModulesInternals())
          .because("a module's internal packages are its own business");

  @Test
  void classesAreImported() {
    // Guards every rule below against passing vacuously on an empty import.
    for (String pkg :
        List.of(
            "io.minispod.quota",
            "io.minispod.provisioner",
            "io.minispod.catalog.internal",
            "io.minispod.subscription.internal.workflow",
            "io.minispod.k8s",
            "io.minispod.demo",
            "io.minispod.examples.plainjava",
            "io.minispod.benchmarks")) {
      assertTrue(CLASSES.containPackage(pkg), pkg + "'s classes were imported");
    }
  }

  @Test
  void everyClassBelongsToAModule() {
    ArchRuleDefinition.classes()
        .should(
            new ArchCondition<>("belong to a module of the MODULES map") {
              @Override
              public void check(JavaClass item, ConditionEvents events) {
                if (moduleOf(item.getPackageName()) == null) {
                  events.add(
                      SimpleConditionEvent.violated(item, item.getName() + " is in no module"));
                }
              }
            })
        .check(CLASSES);
  }

  @Test
  void provisionersDependOnTheSpiAlone() {
    PROVISIONERS_KNOW_ONLY_THE_SPI.check(CLASSES);
  }

  @Test
  void provisionersDependOnTheSpiAlone_aProvisionerUsingTheCatalog_fails() {
    JavaClasses offender =
        new ClassFileImporter().importClasses(ProvisionerReachingTheCatalog.class);
    AssertionError failure =
        assertThrows(AssertionError.class, () -> PROVISIONERS_KNOW_ONLY_THE_SPI.check(offender));
    assertTrue(failure.getMessage().contains("io.minispod.catalog.Catalog"), failure.getMessage());
  }

  @Test
  void theCatalogKnowsNothingOfWhatSellsIt() {
    // The generated jOOQ code maps the subscription tables' status columns to their enums.
    noClasses()
        .that()
        .resideInAPackage("io.minispod.catalog..")
        .and()
        .resideOutsideOfPackage("..internal.db..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.minispod.subscription..")
        .because("the subscription side reads the catalog through CatalogPort, never the reverse")
        .check(CLASSES);
  }

  @Test
  void theWorkflowRunnerKnowsNoWorkflowKind() {
    noClasses()
        .that()
        .resideInAPackage("io.minispod.subscription.internal.workflow..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.minispod.subscription",
            "io.minispod.subscription.internal",
            "io.minispod.billing..",
            "io.minispod.provisioner..",
            "io.minispod.quota..")
        .because("a workflow kind is a WorkflowKind handed to the runner")
        .check(CLASSES);
  }

  @Test
  void springStaysInTheAdapterAndExamples() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "io.minispod.spring..", "io.minispod.examples..", "io.minispod.demo..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.springframework..")
        .check(CLASSES);
  }

  @Test
  void fabric8StaysInTheKubernetesProvisioner() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.minispod.k8s..", "io.minispod.benchmarks..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.fabric8..")
        .because(
            "only the Kubernetes provisioner, and the benchmark that drives it against the mock"
                + " API server, talk to Kubernetes")
        .check(CLASSES);
  }

  @Test
  void internalPackagesAreReachedOnlyFromTheirOwnModule() {
    INTERNALS_STAY_IN_THEIR_MODULE.check(CLASSES);
  }

  @Test
  void internalPackagesAreReachedOnlyFromTheirOwnModule_anAdapterReachingIn_fails() {
    JavaClasses offender =
        new ClassFileImporter().importClasses(AdapterReachingCatalogInternals.class);
    AssertionError failure =
        assertThrows(AssertionError.class, () -> INTERNALS_STAY_IN_THEIR_MODULE.check(offender));
    assertTrue(
        failure.getMessage().contains("io.minispod.catalog.internal.CatalogNode"),
        failure.getMessage());
  }

  @Test
  void moduleOf_packages_mapToTheirMavenModule() {
    assertEquals("catalog-core", moduleOf("io.minispod.subscription.internal.workflow"));
    assertEquals("catalog-core", moduleOf("io.minispod.catalog.internal.db.tables"));
    assertEquals("provisioner-spi", moduleOf("io.minispod.provisioner"));
    assertEquals("common", moduleOf("io.minispod"));
    assertEquals(null, moduleOf("org.example"));
  }

  @Test
  void publicApiDoesNotExposeInternalTypes() {
    ArchRuleDefinition.codeUnits()
        .that()
        .areDeclaredInClassesThat()
        .resideOutsideOfPackage("..internal..")
        .and()
        .areDeclaredInClassesThat()
        .arePublic()
        .and()
        .arePublic()
        .should(notMentionInternalTypes())
        .check(CLASSES);
  }

  @Test
  void packagesAreFreeOfCycles() {
    // jOOQ's generated code (…internal.db) is cyclic by design and not ours to shape.
    // A domain (io.minispod.<domain>..) is one slice: its API and its internal packages know each
    // other, as the API constructs its implementation. Between domains the arrows go one way.
    JavaClasses handWritten = CLASSES.that(not(resideInAPackage("..internal.db..")));
    slices().matching("io.minispod.(*)..").should().beFreeOfCycles().check(handWritten);
  }

  @Test
  void quotaAndBillingDependOnNothingOfOursButCommon() {
    for (String module : new String[] {"quota", "billing", "provisioner"}) {
      noClasses()
          .that()
          .resideInAPackage("io.minispod." + module + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              Stream.of(
                      "quota",
                      "billing",
                      "provisioner",
                      "catalog",
                      "subscription",
                      "k8s",
                      "spring",
                      "testkit")
                  .filter(other -> !other.equals(module))
                  .map(other -> "io.minispod." + other + "..")
                  .toArray(String[]::new))
          .allowEmptyShould(true)
          .check(CLASSES);
    }
  }

  @Test
  void catalogDependsOnNeitherAdaptersNorTestFixtures() {
    noClasses()
        .that()
        .resideInAnyPackage("io.minispod.catalog..", "io.minispod.subscription..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.minispod.k8s..", "io.minispod.spring..", "io.minispod.testkit..")
        .allowEmptyShould(true)
        .check(CLASSES);
  }

  @Test
  void libraryCodeWritesNothingToTheConsole() {
    ArchRule rule =
        noClasses()
            .that()
            .resideOutsideOfPackages(
                "io.minispod.examples..", "io.minispod.demo..", "io.minispod.benchmarks..")
            .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS);
    rule.check(CLASSES);
  }

  private static ArchCondition<JavaClass> stayOutOfOtherModulesInternals() {
    return new ArchCondition<>("stay out of other modules' internal packages") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        String from = moduleOf(origin.getPackageName());
        for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
          String target = dependency.getTargetClass().getPackageName();
          if (isInternal(target) && !moduleOf(target).equals(from)) {
            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
          }
        }
      }
    };
  }

  private static ArchCondition<JavaCodeUnit> notMentionInternalTypes() {
    return new ArchCondition<>("not mention internal types in their signatures") {
      @Override
      public void check(JavaCodeUnit unit, ConditionEvents events) {
        if (unit.getOwner().getModifiers().contains(JavaModifier.SYNTHETIC)) {
          return;
        }
        Stream.concat(Stream.of(unit.getRawReturnType()), unit.getRawParameterTypes().stream())
            .filter(type -> type.getPackageName().contains(".internal"))
            .forEach(
                type ->
                    events.add(
                        SimpleConditionEvent.violated(
                            unit,
                            unit.getFullName() + " exposes internal type " + type.getName())));
      }
    };
  }

  private static boolean isInternal(String pkg) {
    return pkg.startsWith("io.minispod.")
        && (pkg.contains(".internal.") || pkg.endsWith(".internal"));
  }

  /** The module of a package: the one whose root is its longest prefix, or null. */
  static String moduleOf(String pkg) {
    String module = null;
    int longest = -1;
    for (Map.Entry<String, String> root : MODULES.entrySet()) {
      String prefix = root.getKey();
      boolean inside = pkg.equals(prefix) || pkg.startsWith(prefix + ".");
      if (inside && prefix.length() > longest) {
        module = root.getValue();
        longest = prefix.length();
      }
    }
    return module;
  }
}
