package io.attune.e2e.cli;

import io.attune.model.json.Json;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The command line as a user runs it: {@code bin/attune} (which runs the built {@code cli/target/attune.jar}) as a
 * process, with its own {@code XDG_CONFIG_HOME} so that each person in a test keeps their own token.
 */
final class AttuneCli {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path LAUNCHER = ROOT.resolve("bin/attune");

    private final Path configHome;
    private final Map<String, String> environment = new LinkedHashMap<>();

    AttuneCli(Path configHome) {
        this.configHome = configHome;
        // the jar was just built by Maven: never let the launcher rebuild it in the middle of a test
        environment.put("ATTUNE_CLI_NO_BUILD", "1");
        environment.put("XDG_CONFIG_HOME", configHome.toString());
    }

    static AttuneCli withHome(String name) {
        try {
            Path home = Files.createDirectories(Path.of("target", "cli-homes").toAbsolutePath())
                    .resolve(name + "-" + Long.toString(System.nanoTime(), 36));
            return new AttuneCli(Files.createDirectories(home));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, String> environment() {
        return Map.copyOf(environment);
    }

    Path configHome() {
        return configHome;
    }

    Path credentialsFile() {
        return configHome.resolve("attune").resolve("credentials.json");
    }

    AttuneCli env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    Result run(String... arguments) {
        return runWithInput(null, arguments);
    }

    Result runWithInput(String stdin, String... arguments) {
        Process process = start(arguments);
        try {
            if (stdin != null) {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            return finish(process, 120);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Started and left running (watch, run --wait): read its result with {@link #finish}. */
    Process start(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("ATTUNE_URL");
        builder.environment().remove("ATTUNE_TOKEN");
        builder.environment().putAll(environment);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Result finish(Process process, long seconds) {
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("attune did not finish in " + seconds + " s; stdout so far: "
                        + out.getNow("?") + "\nstderr: " + err.getNow("?"));
            }
            return new Result(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            process.destroyForcibly();
            throw new AssertionError(e);
        }
    }

    private static String read(java.io.InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** A finished run. */
    record Result(int exitCode, String out, String err) {
        JsonNode json() {
            try {
                return Json.tree(out);
            } catch (RuntimeException e) {
                throw new AssertionError("stdout is not JSON: " + out + "\nstderr: " + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
