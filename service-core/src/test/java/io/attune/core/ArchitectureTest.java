package io.attune.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.attune.testsupport.Architecture;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.ComponentScan;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

class ArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.attune.core");

    @Test
    void featurePackagesDependOnEachOtherWithoutCycles() {
        Architecture.assertNoCyclesBetweenFeatures("io.attune.core");
    }

    /** The few classes at the root are shared by every feature: one that used a feature would hide a cycle. */
    @Test
    void theRootPackageDependsOnNoFeature() {
        noClasses().that().resideInAPackage("io.attune.core")
                .should().dependOnClassesThat().resideInAPackage("io.attune.core.*..")
                .check(CORE);
    }

    /** Each module lists its classes in its auto-configuration (ModulesTest); nothing finds them by scanning. */
    @Test
    void nothingIsComponentScanned() {
        noClasses().should().beAnnotatedWith(ComponentScan.class).check(CORE);
    }
}
