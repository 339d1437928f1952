package io.attune.e2e;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jars the other e2e tests start must carry the shared modules as this build made them: a stale copy of
 * service-core inside a service jar would make every end-to-end result a statement about old code.
 */
class BuiltJarsTest {
    private static final List<String> SHARED = List.of("common-model", "service-core", "db-migrations");
    private static final String VERSION = System.getProperty("project.version", "0.1.0-SNAPSHOT");

    @ParameterizedTest
    @ValueSource(strings = {"api", "executor", "notifier", "worker"})
    void serviceJarCarriesTheSharedModulesOfThisBuild(String kind) throws IOException {
        Path serviceJar = RunningSuite.ROOT.resolve(kind + "-service/target/" + kind + "-service.jar");
        try (JarFile jar = new JarFile(serviceJar.toFile())) {
            for (String module : SHARED) {
                String name = module + "-" + VERSION + ".jar";
                ZipEntry nested = jar.getEntry("BOOT-INF/lib/" + name);
                assertThat(nested).as("%s in %s", name, serviceJar).isNotNull();
                byte[] built = Files.readAllBytes(RunningSuite.ROOT.resolve(module + "/target/" + name));
                try (InputStream in = jar.getInputStream(nested)) {
                    assertThat(in.readAllBytes()).as("%s in %s is the one %s/target holds", name, serviceJar, module)
                            .isEqualTo(built);
                }
            }
        }
    }
}
