package io.attune.testsupport;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Structure rules every module's tests apply to its own code: the packages directly under a module's root package
 * (its features) must not depend on each other in a cycle, so each can be read, and moved, on its own.
 */
public final class Architecture {
    private Architecture() {
    }

    /** Fails, naming every cycle, when the feature packages under {@code rootPackage} depend on each other in one. */
    public static void assertNoCyclesBetweenFeatures(String rootPackage) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(rootPackage);
        slices().matching(rootPackage + ".(*)..").should().beFreeOfCycles().check(classes);
    }
}
