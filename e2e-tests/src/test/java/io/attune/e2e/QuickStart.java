package io.attune.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How a service jar is started, the quick way: a JVM start-up costs a 2-core machine about 7 s of CPU, and a run
 * starts some sixty. So each built jar is extracted once per run with Spring Boot's own tool
 * ({@code java -Djarmode=tools -jar <module>.jar extract}, the layout Spring Boot documents for production with
 * class data sharing; the same classes, without the nested-jar class loader) and the first process of each module
 * writes a dynamic class-data archive when it stops, which every later process of that module maps instead of
 * loading and verifying its classes again: about half the CPU of a start-up (measured 7.1 s → 3.9 s for the executor).
 *
 * <p>{@code -Dattune.e2e.launch=jar} starts the built jars as they are instead ({@code java -jar <module>.jar}, as the
 * Dockerfiles do); {@code StandaloneSuiteTest} always does, through {@code run.sh}.
 */
final class QuickStart {
    private static final boolean EXTRACTED = !"jar".equals(System.getProperty("attune.e2e.launch", "extracted"));
    private static final Path HOME = Path.of("target", "e2e-jars").toAbsolutePath();
    private static final Map<String, Path> EXTRACTED_JARS = new HashMap<>();
    /** The module's process writing its archive now, by module. */
    private static final Map<String, Path> TRAINING = new HashMap<>();

    private QuickStart() {
    }

    /** What comes after the JVM options of the harness: more options and {@code -jar <jar>}. */
    static synchronized Launch of(String module, Path jar) {
        if (!EXTRACTED) {
            return new Launch(module, List.of("-jar", jar.toString()), null);
        }
        Path launcher = EXTRACTED_JARS.computeIfAbsent(module, m -> extract(m, jar));
        List<String> arguments = new ArrayList<>();
        Path archive = archive(module);
        Path training = null;
        if (Files.isRegularFile(archive)) {
            arguments.add("-XX:SharedArchiveFile=" + archive);
        } else if (!TRAINING.containsKey(module)) {
            training = HOME.resolve(module + "-" + System.nanoTime() + ".jsa.part");
            TRAINING.put(module, training);
            arguments.add("-XX:ArchiveClassesAtExit=" + training);
            arguments.add("-Xlog:cds=off"); // hundreds of "not archived" lines at exit, none of them a problem
        }
        arguments.add("-jar");
        arguments.add(launcher.toString());
        return new Launch(module, arguments, training);
    }

    /**
     * Called once the process ended with {@code exitCode}: a training process that stopped as asked (SIGTERM, so 143,
     * or by itself) leaves the module's archive; one killed or crashed, perhaps while writing it, leaves none, and the
     * next process of the module trains instead.
     */
    static synchronized void ended(Launch launch, int exitCode) {
        if (launch.training() == null) {
            return;
        }
        TRAINING.remove(launch.module(), launch.training());
        try {
            if (!Files.exists(launch.training())) {
                return; // told before, or it never wrote one
            }
            boolean stoppedAsAsked = exitCode == 0 || exitCode == 130 || exitCode == 143;
            if (stoppedAsAsked && Files.size(launch.training()) > 0) {
                Files.move(launch.training(), archive(launch.module()), StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.deleteIfExists(launch.training());
            }
        } catch (IOException e) {
            // no archive: the next process of the module writes one
        }
    }

    private static Path archive(String module) {
        return HOME.resolve(module + ".jsa");
    }

    /** Extracts the jar afresh (once per run: an older extraction or archive may be of another build). */
    private static Path extract(String module, Path jar) {
        Path destination = HOME.resolve(module);
        String java = ProcessHandle.current().info().command().orElse("java");
        try {
            Files.createDirectories(HOME);
            Files.deleteIfExists(archive(module));
            if (Files.isDirectory(destination)) {
                try (var files = Files.walk(destination)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(file);
                    }
                }
            }
            Process process = new ProcessBuilder(java, "-Djarmode=tools", "-jar", jar.toString(), "extract",
                    "--destination", destination.toString()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("extracting " + jar + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return destination.resolve(jar.getFileName());
    }

    /** One process's launch: its arguments and, for the one that trains, where its archive is written. */
    record Launch(String module, List<String> arguments, Path training) {
    }
}
