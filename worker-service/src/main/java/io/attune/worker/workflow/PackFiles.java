package io.attune.worker.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The YAML files of one kind in every pack, {@code <packs>/<pack>/<folder>/<name>.yaml} (or {@code .yml}), each
 * known as {@code <pack>.<name>}: what the worker registers at start-up (workflows, inquiry templates).
 */
final class PackFiles {
    private static final Pattern FILE = Pattern.compile("([A-Za-z0-9_][A-Za-z0-9_-]*)\\.ya?ml");

    private PackFiles() {
    }

    /** Registers one file; returns what to log for it (its ref, marked when invalid). */
    interface Registrar {
        String register(String ref, Path file) throws IOException;
    }

    /** Hands every such file to {@code registrar}, packs and files in name order; returns what it said of each. */
    static List<String> registerAll(Path packs, String folder, Registrar registrar) throws IOException {
        List<String> registered = new ArrayList<>();
        try (Stream<Path> packDirs = Files.list(packs)) {
            for (Path pack : packDirs.filter(Files::isDirectory).sorted().toList()) {
                Path dir = pack.resolve(folder);
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                        Matcher name = FILE.matcher(file.getFileName().toString());
                        if (name.matches()) {
                            registered.add(registrar.register(pack.getFileName() + "." + name.group(1), file));
                        }
                    }
                }
            }
        }
        return registered;
    }
}
