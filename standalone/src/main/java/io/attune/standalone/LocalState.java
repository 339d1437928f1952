package io.attune.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * What the standalone suite keeps between runs under {@code ~/.attune} (or {@code ATTUNE_HOME}): the Postgres data,
 * the logs, and the generated JWT secret and admin password, so that restarts keep data, tokens and the login.
 */
final class LocalState {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path home;

    LocalState(Path home) {
        this.home = home;
        try {
            Files.createDirectories(logs());
            Files.createDirectories(home.resolve("data"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + home, e);
        }
    }

    Path home() {
        return home;
    }

    Path logs() {
        return home.resolve("logs");
    }

    Path postgresData() {
        return home.resolve("data").resolve("postgres");
    }

    /** The value kept in {@code file}, made (random, {@code bytes} long) and kept on first use. */
    String secret(String file, int bytes) {
        Path path = home.resolve(file);
        try {
            if (Files.exists(path)) {
                return Files.readString(path, StandardCharsets.UTF_8).trim();
            }
            byte[] random = new byte[bytes];
            RANDOM.nextBytes(random);
            String value = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.writeString(path, value + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + path, e);
        }
    }
}
