package io.attune.core;

import io.attune.testsupport.Architecture;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    @Test
    void featurePackagesDependOnEachOtherWithoutCycles() {
        Architecture.assertNoCyclesBetweenFeatures("io.attune.core");
    }
}
