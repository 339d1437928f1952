package io.attune.e2e.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command in a pseudo-terminal, driven like a person would: util-linux {@code script} gives it a pty (so the JVM
 * sees a console and asks its questions), we wait for a prompt to appear and type a line. The transcript is what the
 * person would see, typed text included where the terminal echoes it.
 */
final class Pty implements AutoCloseable {
    private final Process process;
    private final OutputStream keyboard;
    private final StringBuffer screen = new StringBuffer();
    private int cursor;

    private Pty(Process process) {
        this.process = process;
        this.keyboard = process.getOutputStream();
        Thread reader = new Thread(() -> copy(process.getInputStream()), "pty-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static boolean available() {
        try {
            Process probe = new ProcessBuilder("script", "--version").redirectErrorStream(true).start();
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static Pty start(Map<String, String> environment, List<String> command) {
        StringBuilder line = new StringBuilder();
        for (String part : command) {
            line.append('\'').append(part.replace("'", "'\\''")).append("' ");
        }
        // -q quiet, -f flush at once, -e exit with the command's code; the transcript file is not needed
        ProcessBuilder builder = new ProcessBuilder(List.of("script", "-qfec", line.toString().trim(), "/dev/null"))
                .redirectErrorStream(true);
        builder.environment().remove("ATTUNE_URL");
        builder.environment().remove("ATTUNE_TOKEN");
        builder.environment().putAll(environment);
        builder.environment().put("TERM", "dumb");
        builder.environment().put("COLUMNS", "120");
        try {
            return new Pty(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code text} appears after what the previous expect matched; returns what came up to its end. */
    String expect(String text, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            int found = screen.indexOf(text, cursor);
            if (found >= 0) {
                String seen = screen.substring(cursor, found + text.length());
                cursor = found + text.length();
                return seen;
            }
            if (!process.isAlive() && screen.indexOf(text, cursor) < 0) {
                sleep(200);
                if (screen.indexOf(text, cursor) < 0) {
                    throw new AssertionError("the command ended (exit " + process.exitValue() + ") before showing '"
                            + text + "'; transcript:\n" + screen);
                }
            }
            sleep(50);
        }
        throw new AssertionError("'" + text + "' did not appear; transcript:\n" + screen);
    }

    String expect(String text) {
        return expect(text, Duration.ofSeconds(120));
    }

    /** Types a line and Enter. */
    void type(String line) {
        try {
            keyboard.write((line + "\r").getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int awaitExit(Duration patience) {
        try {
            if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("still running; transcript:\n" + screen);
            }
            sleep(200);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    String transcript() {
        return screen.toString();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private void copy(InputStream from) {
        char[] buffer = new char[4096];
        try (var reader = new java.io.InputStreamReader(from, StandardCharsets.UTF_8)) {
            int n;
            while ((n = reader.read(buffer)) >= 0) {
                screen.append(new String(buffer, 0, n).replace("\r", ""));
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static List<String> command(String... parts) {
        List<String> command = new ArrayList<>();
        command.add(AttuneCli.LAUNCHER.toString());
        command.addAll(List.of(parts));
        return command;
    }
}
