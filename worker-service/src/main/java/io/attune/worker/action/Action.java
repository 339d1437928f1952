package io.attune.worker.action;

import java.nio.file.Path;
import java.time.Duration;

/**
 * An action found in a pack: {@code packs/<pack>/actions/<name>.<sh|py|js>}, run by {@code interpreter} in the pack's
 * directory for at most {@code timeout}.
 */
public record Action(String ref, Path script, Path packDir, String interpreter, Duration timeout, String description) {
}
