package io.attune.standalone;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/** The class-data archive never stands between a user and a started service, and never outlives its jar. */
class ClassDataArchiveTest {
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    @TempDir
    Path checkout;

    @Test
    void aJarThatCannotBeExtractedRunsAsItIsWithoutArchiveOrTraining() throws IOException {
        Path jar = plainJar("api-service");
        ClassDataArchive archive = ClassDataArchive.of(JAVA, jar);

        Path toRun = archive.prepare(checkout.resolve("api-service.log"));

        assertThat(toRun).isEqualTo(jar.toAbsolutePath());
        assertThat(archive.isUsable(toRun)).isFalse();
        assertThat(archive.canTrain(toRun)).isFalse();
    }

    @Test
    void aRebuiltJarGetsAnArchiveOfItsOwnAndTheOldOneIsNotUsed() throws IOException {
        Path jar = plainJar("executor-service");
        Path before = ClassDataArchive.of(JAVA, jar).archive();

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        Path after = ClassDataArchive.of(JAVA, jar).archive();

        assertThat(after).isNotEqualTo(before);
        assertThat(after.getParent().getParent()).isEqualTo(before.getParent().getParent());
    }

    @Test
    void anUnfinishedTrainingLeavesNoArchive() throws IOException {
        Path jar = plainJar("notifier-service");
        ClassDataArchive archive = ClassDataArchive.of(JAVA, jar);
        Path scratch = archive.trainingScratch();
        Files.createDirectories(scratch.getParent());
        Files.writeString(scratch, "half an archive");

        archive.keep(scratch, false);

        assertThat(scratch).doesNotExist();
        assertThat(archive.archive()).doesNotExist();
    }

    /** A jar that is not a Spring Boot jar: {@code -Djarmode=tools extract} refuses it. */
    private Path plainJar(String module) throws IOException {
        Path jar = checkout.resolve(module).resolve("target").resolve(module + ".jar");
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
        return jar;
    }
}
