package io.attune.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * A packs directory for a worker ({@code ATTUNE_PACKS_DIR}): the bundled {@code examples} pack as in the source tree,
 * plus {@code e2e.echo}, an action whose result is its parameters — so a test decides exactly what a real worker
 * reports (an {@code __inquiry} with a one-second timeout, say) and the report still travels the real way.
 */
public final class TestPacks {
    public static final String ECHO = "e2e.echo";
    private static final Path EXAMPLES = RunningSuite.ROOT.resolve("worker-service/src/main/resources/packs/examples");

    private TestPacks() {
    }

    public static Path create() {
        try {
            Path root = Files.createDirectories(Path.of("target", "e2e-packs").toAbsolutePath())
                    .resolve(Long.toString(System.nanoTime(), 36));
            copy(EXAMPLES, root.resolve("examples"));
            Path echo = Files.createDirectories(root.resolve("e2e/actions")).resolve("echo.sh");
            Files.writeString(echo, """
                    #!/usr/bin/env bash
                    # Returns its parameters (one JSON object on stdin) as its result.
                    IFS= read -r -d '' parameters || true
                    printf '%s\\n' "$parameters"
                    """);
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the examples pack's settings.json (its operator's choices, e.g. who approves deployments); the worker
     * reads packs at every execution, so this holds from the next one.
     */
    static void exampleSettings(Path packs, String json) {
        try {
            Files.writeString(packs.resolve("examples").resolve("settings.json"), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The examples pack's settings.json as the worker ships it (nobody named). */
    static String shippedExampleSettings() {
        try {
            return Files.readString(EXAMPLES.resolve("settings.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
