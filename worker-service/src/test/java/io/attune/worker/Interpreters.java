package io.attune.worker;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether an interpreter is installed here, for tests of actions that need one (skipped, not failed, without). */
public final class Interpreters {
    private Interpreters() {
    }

    public static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
