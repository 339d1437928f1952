package io.attune.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Class-data sharing for one service jar, which halves the CPU a service spends starting (docs/benchmarks.md):
 * the jar is extracted once ({@code -Djarmode=tools extract}: plain jars on the class path, which the JVM can archive,
 * unlike classes inside a nested jar), a training run writes an archive of the classes it loaded, and later starts map
 * it. On JDK 25 and newer the archive is an AOT cache ({@code -XX:AOTCache}, classes loaded and linked ahead),
 * before that a dynamic CDS archive ({@code -XX:SharedArchiveFile}).
 * <p>
 * Everything lives in {@code <module>/target/cds/<key>/}, where the key is made of the jar (path, size, modification
 * time) and the JDK: a rebuilt jar or another JDK gets a new directory and the old ones are deleted. Nothing here can
 * stop a service from starting: if extraction or training fails, the service runs from its jar without an archive, and
 * a mismatched or damaged archive is ignored by the JVM ({@code -Xshare:auto}, {@code -XX:AOTMode=auto}).
 */
public final class ClassDataArchive {
    /** Training runs once per build; on a machine busy with other work four of them took over a minute. */
    static final long TRAINING_TIMEOUT_SECONDS = 240;

    private final String java;
    private final Path jar;
    private final Path directory;
    private final boolean aotCache;

    private ClassDataArchive(String java, Path jar, Path directory, boolean aotCache) {
        this.java = java;
        this.jar = jar;
        this.directory = directory;
        this.aotCache = aotCache;
    }

    /** The archive of {@code jar} for the JDK of {@code java}, which is the JDK this launcher runs on. */
    public static ClassDataArchive of(String java, Path jar) {
        return new ClassDataArchive(java, jar.toAbsolutePath(),
                jar.toAbsolutePath().getParent().resolve("cds").resolve(key(jar)), Runtime.version().feature() >= 25);
    }

    /** The jar to run: the extracted one when extraction worked (now or before), else the original. */
    public Path prepare(Path log) {
        Path extracted = extractedJar();
        if (Files.isRegularFile(extracted)) {
            return extracted;
        }
        try {
            deleteOtherVersions();
            Files.createDirectories(directory);
            Path scratch = Files.createTempDirectory(directory, "extracting-");
            Process process = new ProcessBuilder(java, "-Djarmode=tools", "-jar", jar.toString(), "extract",
                    "--destination", scratch.resolve("app").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                deleteQuietly(scratch);
                return jar;
            }
            try {
                Files.move(scratch.resolve("app"), extracted.getParent(), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException alreadyThere) {
                // another launcher extracted it at the same moment: use theirs
            }
            deleteQuietly(scratch);
            return Files.isRegularFile(extracted) ? extracted : jar;
        } catch (IOException e) {
            return jar;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return jar;
        }
    }

    public boolean isUsable(Path jarToRun) {
        return jarToRun.equals(extractedJar()) && Files.isRegularFile(archive());
    }

    public boolean canTrain(Path jarToRun) {
        return jarToRun.equals(extractedJar()) && !Files.isRegularFile(archive());
    }

    /** The options that map the archive; the JVM runs without it (and says so in the log) when it does not fit. */
    public List<String> useOptions() {
        return aotCache ? List.of("-XX:AOTCache=" + archive(), "-XX:AOTMode=auto")
                : List.of("-XX:SharedArchiveFile=" + archive(), "-Xshare:auto");
    }

    /**
     * The options of a training run: the service starts, refreshes its context and exits
     * ({@code spring.context.exit=onRefresh}: beans created, schema migrated, but no listener, scheduler or web server
     * started), and the JVM writes what it loaded to {@code scratch}.
     */
    List<String> trainingOptions(Path scratch) {
        List<String> options = new ArrayList<>(archiveAtExitOptions(scratch));
        options.add("-Dspring.context.exit=onRefresh");
        return options;
    }

    /** The options that make any run of the service write what it loaded to {@code scratch} when it exits. */
    public List<String> archiveAtExitOptions(Path scratch) {
        return List.of(aotCache ? "-XX:AOTCacheOutput=" + scratch : "-XX:ArchiveClassesAtExit=" + scratch,
                "-Xlog:cds=off"); // hundreds of "not archived" lines at exit, none of them a problem
    }

    public Path trainingScratch() {
        return directory.resolve(archive().getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    }

    /** Keeps what a training run wrote, if it finished; an unfinished archive is never used. */
    public void keep(Path scratch, boolean finished) {
        try {
            if (finished && Files.isRegularFile(scratch) && Files.size(scratch) > 0) {
                Files.move(scratch, archive(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException ignored) {
            // no archive this time; the next start trains again
        } finally {
            deleteQuietly(scratch);
        }
    }

    /** Forgets the archive, so that the next start trains a new one (after a start that failed with it). */
    void discard() {
        deleteQuietly(archive());
    }

    Path archive() {
        return directory.resolve(aotCache ? "classes.aot" : "classes.jsa");
    }

    private Path extractedJar() {
        return directory.resolve("app").resolve(jar.getFileName());
    }

    private void deleteOtherVersions() {
        try (Stream<Path> versions = Files.list(directory.getParent())) {
            versions.filter(p -> !p.equals(directory)).forEach(ClassDataArchive::deleteQuietly);
        } catch (IOException ignored) {
            // nothing there yet
        }
    }

    private static String key(Path jar) {
        try {
            String identity = String.join("|", jar.toAbsolutePath().toString(), Long.toString(Files.size(jar)),
                    Long.toString(Files.getLastModifiedTime(jar).toMillis()), System.getProperty("java.home"),
                    System.getProperty("java.vm.version"));
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** For the log: which mechanism this JDK gets. */
    String describe() {
        return aotCache ? "AOT cache" : "CDS archive";
    }
}
