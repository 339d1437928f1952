package io.attune.worker.action;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The directory actions are found in: {@code ATTUNE_PACKS_DIR} when set, else the packs bundled in the jar (classpath
 * {@code packs/}), copied to a temporary directory at start-up — a process cannot run a script inside a jar — and
 * deleted at shutdown.
 */
public final class PacksDirectory implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PacksDirectory.class);
    private static final String BUNDLED = "packs/";

    private final Path path;
    private final boolean temporary;

    private PacksDirectory(Path path, boolean temporary) {
        this.path = path;
        this.temporary = temporary;
    }

    /** The configured directory, or the bundled packs when {@code configured} is blank. */
    public static PacksDirectory open(String configured) {
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("ATTUNE_PACKS_DIR " + dir + " is not a directory");
            }
            log.info("Actions come from {}", dir);
            return new PacksDirectory(dir, false);
        }
        return extractBundled();
    }

    public Path path() {
        return path;
    }

    private static PacksDirectory extractBundled() {
        try {
            // readable by everyone: actions may run as another user than the worker (ActionUser)
            Path target = Files.createTempDirectory("attune-packs-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
            int files = 0;
            for (Resource root : resolver.getResources("classpath*:" + BUNDLED)) {
                String rootUrl = root.getURL().toString();
                for (Resource file : resolver.getResources(rootUrl + "**/*")) {
                    String url = file.getURL().toString();
                    if (!file.isReadable() || url.endsWith("/") || !url.startsWith(rootUrl)) {
                        continue;
                    }
                    Path destination = target.resolve(url.substring(rootUrl.length())).normalize();
                    if (!destination.startsWith(target)) {
                        continue;
                    }
                    Files.createDirectories(destination.getParent());
                    try (InputStream in = file.getInputStream()) {
                        Files.copy(in, destination, StandardCopyOption.REPLACE_EXISTING);
                    }
                    makeExecutable(destination);
                    files++;
                }
            }
            log.info("Bundled packs ({} files) extracted to {}", files, target);
            return new PacksDirectory(target, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled packs", e);
        }
    }

    private static void makeExecutable(Path file) throws IOException {
        String name = file.getFileName().toString();
        boolean script = name.endsWith(".sh") || name.endsWith(".py") || name.endsWith(".js");
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(script ? "rwxr-xr-x" : "rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system; actions are run through their interpreter anyway
        }
    }

    /** Deletes the extracted bundled packs; a configured directory is left alone. */
    @Override
    public void close() {
        if (!temporary) {
            return;
        }
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.warn("Could not delete the extracted packs in {}: {}", path, e.getMessage());
        }
    }
}
