package io.attune.worker.workflow;

import io.attune.worker.action.PacksDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Registers, at start-up and before the worker answers its health check, the YAML files of one kind in every pack —
 * {@code <packs>/<pack>/<folder>/<name>.yaml} (or {@code .yml}), each known as {@code <pack>.<name>} — so that a
 * started suite knows its workflows and inquiry templates. A subclass says what registering one file means.
 */
abstract class PackFileRegistration implements InitializingBean {
    private static final Pattern FILE = Pattern.compile("([A-Za-z0-9_][A-Za-z0-9_-]*)\\.ya?ml");

    private final Logger log = LoggerFactory.getLogger(getClass());
    protected final PacksDirectory packs;
    private final String folder;
    private final String kind;

    /** {@code kind} names what the files are in log lines ("workflows"). */
    protected PackFileRegistration(PacksDirectory packs, String folder, String kind) {
        this.packs = packs;
        this.folder = folder;
        this.kind = kind;
    }

    /** Registers one file; returns what to log for it (its ref, marked when invalid). */
    protected abstract String register(String ref, Path file) throws IOException;

    @Override
    public void afterPropertiesSet() {
        registerAll();
    }

    /** Registers every file found, packs and files in name order; returns what was said of each. */
    public List<String> registerAll() {
        List<String> registered = new ArrayList<>();
        try (Stream<Path> packDirs = Files.list(packs.path())) {
            for (Path pack : packDirs.filter(Files::isDirectory).sorted().toList()) {
                Path dir = pack.resolve(folder);
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                        Matcher name = FILE.matcher(file.getFileName().toString());
                        if (name.matches()) {
                            registered.add(register(pack.getFileName() + "." + name.group(1), file));
                        }
                    }
                }
            }
        } catch (IOException e) {
            log.warn("Could not read the {} in {}: {}", kind, packs.path(), e.getMessage());
        }
        log.info("{} registered: {}", Character.toUpperCase(kind.charAt(0)) + kind.substring(1), registered);
        return registered;
    }
}
