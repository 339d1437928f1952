package io.attune.cli.client;

import io.attune.model.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * The token on disk: {@code $XDG_CONFIG_HOME/attune/credentials.json}, else {@code ~/.config/attune/…}. The file is
 * created 0600 inside a 0700 directory before the token is written into it, and replaced atomically, so the token is
 * never readable by others, not even for a moment.
 */
public class CredentialStore {
    static final String FILE = "credentials.json";
    private final Path directory;

    public CredentialStore(Path directory) {
        this.directory = directory;
    }

    /** Where the XDG base directory rules put it for this environment. */
    public static CredentialStore forEnvironment(Map<String, String> environment) {
        String xdg = environment.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".config");
        return new CredentialStore(base.resolve("attune"));
    }

    public Path file() {
        return directory.resolve(FILE);
    }

    public Optional<Credentials> load() {
        Path file = file();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.read(Files.readString(file), Credentials.class));
        } catch (IOException | RuntimeException e) {
            // unreadable or damaged: as if logged out, `attune login` writes a good one
            return Optional.empty();
        }
    }

    public void save(Credentials credentials) {
        try {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Path temporary = directory.resolve(FILE + ".tmp");
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, Json.write(credentials));
            try {
                Files.move(temporary, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file(), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file(), e);
        }
    }

    /** Forgets the token; true if there was one. */
    public boolean delete() {
        try {
            return Files.deleteIfExists(file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file(), e);
        }
    }
}
