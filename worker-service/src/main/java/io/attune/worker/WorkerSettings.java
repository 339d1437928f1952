package io.attune.worker;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code attune.worker.*}: where actions come from and how they run.
 *
 * @param packsDir      the packs directory ({@code ATTUNE_PACKS_DIR}); blank means the packs bundled in the jar
 * @param maxConcurrent actions run at once by this worker (each holds one unacknowledged message)
 * @param actionTimeout how long an action may run unless its metadata says otherwise
 * @param maxOutput     the most an action may print on stdout; beyond it the action is stopped and fails
 * @param shutdownGrace on shutdown, how long running actions may still finish before they are stopped
 * @param interpreters  the program that runs each kind of action file, by extension ({@code sh}, {@code py},
 *                      {@code js}, looked for in this order); a bare name is looked up on the PATH
 * @param actionUser    the user a worker running as root runs actions as ({@code ATTUNE_ACTION_USER})
 * @param actionEnvPassthrough variables of the worker's environment that actions also get, beyond the base
 *                      allow-list ({@code ATTUNE_ACTION_ENV_PASSTHROUGH}, comma-separated names)
 */
@ConfigurationProperties("attune.worker")
public record WorkerSettings(String packsDir, Integer maxConcurrent, Duration actionTimeout, DataSize maxOutput,
                             Duration shutdownGrace, Map<String, String> interpreters, String actionUser,
                             List<String> actionEnvPassthrough) {

    /** The supported action files, in the order in which they are looked for when several share a name. */
    public static final Map<String, String> DEFAULT_INTERPRETERS = defaultInterpreters();

    public WorkerSettings {
        packsDir = packsDir == null ? "" : packsDir.strip();
        maxConcurrent = maxConcurrent == null ? 4 : maxConcurrent;
        actionTimeout = actionTimeout == null ? Duration.ofSeconds(60) : actionTimeout;
        maxOutput = maxOutput == null ? DataSize.ofMegabytes(1) : maxOutput;
        shutdownGrace = shutdownGrace == null ? Duration.ofSeconds(20) : shutdownGrace;
        Map<String, String> merged = new LinkedHashMap<>(DEFAULT_INTERPRETERS);
        if (interpreters != null) {
            interpreters.forEach((extension, program) -> {
                if (!merged.containsKey(extension)) {
                    throw new IllegalArgumentException("attune.worker.interpreters." + extension
                            + ": actions are " + String.join(", ", DEFAULT_INTERPRETERS.keySet()) + " files");
                }
                merged.put(extension, program);
            });
        }
        interpreters = java.util.Collections.unmodifiableMap(merged);
        actionUser = actionUser == null || actionUser.isBlank() ? "nobody" : actionUser.strip();
        actionEnvPassthrough = actionEnvPassthrough == null ? List.of() : List.copyOf(actionEnvPassthrough);
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("attune.worker.max-concurrent must be at least 1");
        }
        if (actionTimeout.isNegative() || actionTimeout.isZero()) {
            throw new IllegalArgumentException("attune.worker.action-timeout must be positive");
        }
    }

    private static Map<String, String> defaultInterpreters() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("sh", "bash");
        defaults.put("py", "python3");
        defaults.put("js", "node");
        return java.util.Collections.unmodifiableMap(defaults);
    }
}
