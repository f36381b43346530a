package io.minispod.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The architecture every module keeps, checked over the main classes of all of them. */
final class ArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.minispod");

  /** {@code io.minispod.<module>.internal…}: the module is group 1. */
  private static final Pattern INTERNAL =
      Pattern.compile("io\\.minispod\\.([a-z0-9]+)\\.internal(\\..*)?");

  @Test
  void classesAreImported() {
    // Guards every rule below against passing vacuously on an empty import.
    assertTrue(CLASSES.containPackage("io.minispod.quota"), "quota-core's classes were imported");
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
        .resideOutsideOfPackage("io.minispod.k8s..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.fabric8..")
        .check(CLASSES);
  }

  @Test
  void internalPackagesAreReachedOnlyFromTheirOwnModule() {
    noClasses()
        .should(reachAnotherModulesInternals())
        .because("a module's internal packages are its own business")
        .check(CLASSES);
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
    JavaClasses handWritten = CLASSES.that(not(resideInAPackage("..internal.db..")));
    slices().matching("io.minispod.(**)").should().beFreeOfCycles().check(handWritten);
  }

  @Test
  void quotaAndBillingDependOnNothingOfOursButCommon() {
    for (String module : new String[] {"quota", "billing"}) {
      noClasses()
          .that()
          .resideInAPackage("io.minispod." + module + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              Stream.of("quota", "billing", "catalog", "k8s", "spring", "testkit")
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
        .resideInAPackage("io.minispod.catalog..")
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

  private static ArchCondition<JavaClass> reachAnotherModulesInternals() {
    return new ArchCondition<>("reach another module's internal packages") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
          Matcher target = INTERNAL.matcher(dependency.getTargetClass().getPackageName());
          if (target.matches()
              && !origin.getPackageName().startsWith("io.minispod." + target.group(1))) {
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
}
