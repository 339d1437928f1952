package io.attune.workflow.definition;

import io.attune.model.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

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

    /**
     * What people are shown of it: {@code {"description", "input", "tasks": [{"name", "kind", "action"?,
     * "prompt"?, "join"?, "next": [{"when"?, "do": [...]}]}]}}, tasks in the file's order.
     */
    public JsonNode outline() {
        ObjectNode outline = Json.object();
        outline.put("description", description);
        ArrayNode inputs = outline.putArray("input");
        input.forEach(inputs::add);
        ArrayNode list = outline.putArray("tasks");
        for (TaskDefinition task : tasks.values()) {
            ObjectNode item = list.addObject();
            item.put("name", task.name());
            item.put("kind", task.kind() == TaskDefinition.Kind.ACTION ? "action" : "inquiry");
            if (task.action() != null) {
                item.put("action", task.action());
            }
            if (task.joinAll()) {
                item.put("join", "all");
            }
            ArrayNode next = item.putArray("next");
            for (Transition transition : task.next()) {
                ObjectNode entry = next.addObject();
                if (!transition.unconditional()) {
                    entry.put("when", transition.when().source());
                }
                ArrayNode targets = entry.putArray("do");
                transition.targets().forEach(targets::add);
            }
        }
        return outline;
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
