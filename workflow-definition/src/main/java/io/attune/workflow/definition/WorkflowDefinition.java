package io.attune.workflow.definition;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed, validated workflow with its expressions compiled: what the worker registers and the executor runs.
 *
 * @param ref      {@code <pack>.<name>}, the {@code action_ref} that starts it
 * @param file     where it came from, relative to the packs directory
 * @param input    the names the workflow's parameters must hold
 * @param tasks    by name, in the file's order
 * @param start    the tasks no {@code next} names: they run when the workflow starts
 * @param checksum SHA-256 of {@code source}: a running workflow keeps the definition it started with
 */
public record WorkflowDefinition(String ref, String file, String description, List<String> input,
                                 Map<String, TaskDefinition> tasks, List<String> start, String source,
                                 String checksum) {

    public TaskDefinition task(String name) {
        TaskDefinition task = tasks.get(name);
        if (task == null) {
            throw new IllegalArgumentException("workflow " + ref + " has no task '" + name + "'");
        }
        return task;
    }

    /** The tasks whose {@code next} names {@code task}: those a {@code join: all} waits for. */
    public Set<String> predecessors(String task) {
        Set<String> names = new LinkedHashSet<>();
        tasks.values().forEach(t -> t.next().forEach(n -> {
            if (n.targets().contains(task)) {
                names.add(t.name());
            }
        }));
        return names;
    }
}
