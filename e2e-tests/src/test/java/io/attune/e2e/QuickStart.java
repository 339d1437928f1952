package io.attune.e2e;

import io.attune.standalone.ClassDataArchive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a service jar is started, the quick way: a JVM start-up costs a 2-core machine about 7 s of CPU, and a run
 * starts some sixty. The launcher's {@link ClassDataArchive} extracts each built jar once (Spring Boot's
 * {@code -Djarmode=tools extract}: the same classes without the nested-jar class loader) and keeps a class-data
 * archive per build; here the first process of each module without an archive writes it when it stops, and every
 * later process (of this run, the next ones, and {@code ./run.sh}'s) maps it instead of loading and verifying its
 * classes again: about half the CPU of a start-up (measured 7.1 s → 3.9 s for the executor).
 *
 * <p>{@code -Dattune.e2e.launch=jar} starts the built jars as they are instead ({@code java -jar <module>.jar}, as the
 * Dockerfiles do); {@code StandaloneSuiteTest} always goes through {@code run.sh}.
 */
final class QuickStart {
    private static final boolean EXTRACTED = !"jar".equals(System.getProperty("attune.e2e.launch", "extracted"));
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final Map<String, ClassDataArchive> ARCHIVES = new HashMap<>();
    private static final Map<String, Path> JARS_TO_RUN = new HashMap<>();
    /** The modules with a process writing their archive now. */
    private static final Set<String> TRAINING = new HashSet<>();

    private QuickStart() {
    }

    /** What comes after the JVM options of the harness: more options and {@code -jar <jar>}; {@code log} hears the extraction. */
    static synchronized Launch of(String module, Path jar, Path log) {
        if (!EXTRACTED) {
            return new Launch(module, List.of("-jar", jar.toString()), null, null);
        }
        ClassDataArchive archive = ARCHIVES.computeIfAbsent(module, m -> ClassDataArchive.of(JAVA, jar));
        Path jarToRun = JARS_TO_RUN.computeIfAbsent(module, m -> archive.prepare(log));
        List<String> arguments = new ArrayList<>();
        Path training = null;
        if (archive.isUsable(jarToRun)) {
            arguments.addAll(archive.useOptions());
        } else if (archive.canTrain(jarToRun) && TRAINING.add(module)) {
            training = archive.trainingScratch();
            arguments.addAll(archive.archiveAtExitOptions(training));
        }
        arguments.add("-jar");
        arguments.add(jarToRun.toString());
        return new Launch(module, arguments, archive, training);
    }

    /**
     * Called once the process ended with {@code exitCode}: a training process that stopped as asked (SIGTERM, so 143,
     * or by itself) leaves the module's archive; one killed or crashed, perhaps while writing it, leaves none, and the
     * next process of the module trains instead.
     */
    static synchronized void ended(Launch launch, int exitCode) {
        if (launch.training() == null || !TRAINING.remove(launch.module())) {
            return; // not a training run, or told before
        }
        launch.archive().keep(launch.training(), exitCode == 0 || exitCode == 130 || exitCode == 143);
    }

    /** One process's launch: its arguments and, for the one that trains, where its archive is written. */
    record Launch(String module, List<String> arguments, ClassDataArchive archive, Path training) {
    }
}
