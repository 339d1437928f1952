package io.attune.worker.action;

import io.attune.model.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the action an {@code action_ref} names. The packs directory is read at every look-up, so an action added
 * to it can be run without a restart.
 *
 * <p>Layout: {@code <packs>/<pack>/actions/<name>.sh|.py|.js}, looked for in that order, with optional metadata
 * {@code <name>.json}: {@code {"timeout_seconds": N, "description": "..."}}. Pack and action names are letters,
 * digits, {@code _} and {@code -}, so a reference can never point outside the packs directory.
 */
public class ActionCatalog {
    private static final Pattern ACTION_REF = Pattern.compile("([A-Za-z0-9_][A-Za-z0-9_-]*)\\.([A-Za-z0-9_][A-Za-z0-9_-]*)");

    private final Path packsDir;
    private final Map<String, String> interpreters;
    private final Duration defaultTimeout;

    /**
     * @param interpreters program per file extension; the map's keys are tried in iteration order (sh, py, js)
     */
    public ActionCatalog(Path packsDir, Map<String, String> interpreters, Duration defaultTimeout) {
        this.packsDir = packsDir.toAbsolutePath().normalize();
        this.interpreters = interpreters;
        this.defaultTimeout = defaultTimeout;
    }

    public Path packsDir() {
        return packsDir;
    }

    /** The action {@code actionRef} names; an {@link ActionException} when there is none or it is broken. */
    public Action resolve(String actionRef) {
        Matcher ref = actionRef == null ? null : ACTION_REF.matcher(actionRef);
        if (ref == null || !ref.matches()) {
            throw new ActionException("unknown action '" + actionRef + "': an action_ref is <pack>.<action>, "
                    + "each made of letters, digits, '_' and '-'");
        }
        Path packDir = packsDir.resolve(ref.group(1));
        Path actions = packDir.resolve("actions");
        for (Map.Entry<String, String> kind : interpreters.entrySet()) {
            Path script = actions.resolve(ref.group(2) + "." + kind.getKey()).normalize();
            if (script.startsWith(packsDir) && Files.isRegularFile(script)) {
                Metadata metadata = metadata(actionRef, actions.resolve(ref.group(2) + ".json"));
                return new Action(actionRef, script, packDir, kind.getValue(),
                        metadata.timeout() == null ? defaultTimeout : metadata.timeout(), metadata.description());
            }
        }
        throw new ActionException("unknown action '" + actionRef + "': no " + ref.group(1) + "/actions/"
                + ref.group(2) + ".{" + String.join(",", interpreters.keySet()) + "} in the packs directory");
    }

    private record Metadata(Duration timeout, String description) {
    }

    private static Metadata metadata(String actionRef, Path file) {
        if (!Files.isRegularFile(file)) {
            return new Metadata(null, null);
        }
        JsonNode json;
        try {
            json = Json.tree(Files.readString(file));
        } catch (IOException | JacksonException e) {
            throw new ActionException("invalid metadata for action '" + actionRef + "' (" + file.getFileName()
                    + "): not readable JSON");
        }
        if (json == null || !json.isObject()) {
            throw new ActionException("invalid metadata for action '" + actionRef + "' (" + file.getFileName()
                    + "): not a JSON object");
        }
        Duration timeout = null;
        JsonNode seconds = json.get("timeout_seconds");
        if (seconds != null && !seconds.isNull()) {
            if (!seconds.isIntegralNumber() || !seconds.canConvertToLong() || seconds.asLong() <= 0) {
                throw new ActionException("invalid metadata for action '" + actionRef + "' (" + file.getFileName()
                        + "): timeout_seconds must be a positive integer, not " + seconds);
            }
            timeout = Duration.ofSeconds(seconds.asLong());
        }
        JsonNode description = json.get("description");
        return new Metadata(timeout, description != null && description.isString() ? description.asString() : null);
    }
}
