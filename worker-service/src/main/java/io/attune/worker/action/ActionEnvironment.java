package io.attune.worker.action;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an action finds in its environment: an allow-list, never the worker's environment minus a deny-list (a
 * secret under a name nobody thought of would leak). From the worker's environment only {@link #BASE} and the
 * {@code LC_*} locale variables pass, plus the names the administrator lists ({@code ATTUNE_ACTION_ENV_PASSTHROUGH});
 * then what identifies the run ({@code ATTUNE_EXECUTION_ID}, {@code ATTUNE_ACTION_REF}) and where it may write
 * ({@code HOME} and {@code TMPDIR}: a directory of its own, deleted after the run) and as whom it runs
 * ({@code USER}, {@code LOGNAME}).
 */
public final class ActionEnvironment {
    /** Passed from the worker's environment when set there. */
    public static final Set<String> BASE = Set.of("PATH", "LANG", "LANGUAGE", "TZ");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Never passed, whatever the configuration says: the suite's own configuration and secrets live here. */
    private static final Pattern RESERVED = Pattern.compile("(?i)(ATTUNE|SPRING)_.*");

    private final Set<String> passThrough;

    /** @param passThrough further variable names to pass from the worker's environment (names only, no patterns) */
    public ActionEnvironment(Collection<String> passThrough) {
        Set<String> names = new LinkedHashSet<>();
        for (String raw : passThrough) {
            String name = raw.strip();
            if (name.isEmpty()) {
                continue;
            }
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("ATTUNE_ACTION_ENV_PASSTHROUGH: '" + name
                        + "' is not an environment variable name");
            }
            if (RESERVED.matcher(name).matches()) {
                throw new IllegalArgumentException("ATTUNE_ACTION_ENV_PASSTHROUGH: " + name
                        + " is the suite's own configuration and is never given to actions");
            }
            names.add(name);
        }
        this.passThrough = Set.copyOf(names);
    }

    public Set<String> passThrough() {
        return passThrough;
    }

    /**
     * The environment of one run, from the worker's {@code environment}. {@code user} is the name the action runs
     * as, {@code home} its own directory.
     */
    public Map<String, String> forRun(Map<String, String> environment, Action action, long executionId, String user,
                                      Path home) {
        Map<String, String> result = new LinkedHashMap<>();
        environment.forEach((name, value) -> {
            if (BASE.contains(name) || name.startsWith("LC_") || passThrough.contains(name)) {
                result.put(name, value);
            }
        });
        result.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        result.put("HOME", home.toString());
        result.put("TMPDIR", home.toString());
        result.put("USER", user);
        result.put("LOGNAME", user);
        result.put("ATTUNE_EXECUTION_ID", Long.toString(executionId));
        result.put("ATTUNE_ACTION_REF", action.ref());
        return result;
    }
}
