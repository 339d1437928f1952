package io.attune.executor;

import io.attune.testsupport.Architecture;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    @Test
    void featurePackagesDependOnEachOtherWithoutCycles() {
        Architecture.assertNoCyclesBetweenFeatures("io.attune.executor");
    }
}
