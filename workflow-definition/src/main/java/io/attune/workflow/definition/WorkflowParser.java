package io.attune.workflow.definition;

import io.attune.model.json.Json;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code packs/<pack>/workflows/<name>.yaml} into a {@link WorkflowDefinition}, or reports every problem a
 * pack author can act on with its file and line: YAML that does not parse, a key that means nothing here, a task
 * {@code next} names that does not exist, an expression that does not compile, an input read but not declared, a
 * task that reads a task that does not exist, a cycle that can never end.
 */
public final class WorkflowParser {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]*");
    static final Pattern ACTION_REF = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]*\\.[A-Za-z0-9_][A-Za-z0-9_-]*");
    /** A definition larger than this is refused before it is parsed. */
    public static final int MAX_SOURCE_BYTES = 256 * 1024;
    static final int MAX_TASKS = 200;
    private static final int MAX_DEPTH = 32;
    private static final Set<String> TOP_KEYS = Set.of("description", "input", "tasks");
    private static final Set<String> TASK_KEYS = Set.of("action", "input", "inquiry", "next", "join", "description");
    private static final Set<String> NEXT_KEYS = Set.of("when", "do");
    /** The fields of an action's {@code __inquiry}; checked fully when the inquiry is opened. */
    private static final Set<String> INQUIRY_KEYS = Set.of("prompt", "response_schema", "assigned_to",
            "timeout_seconds", "on_timeout", "approvals_required", "decision_field", "allow_self_approval",
            "escalation", "remind_every_seconds", "template", "vars");

    private final String file;
    private final List<DefinitionError> errors = new ArrayList<>();

    private WorkflowParser(String file) {
        this.file = file;
    }

    /**
     * Parses and validates one definition.
     *
     * @param ref    {@code <pack>.<name>} (from the file's place in the packs directory)
     * @param file   the file, relative to the packs directory, as errors name it
     * @param source the file's text
     * @throws InvalidDefinitionException with every problem found
     */
    public static WorkflowDefinition parse(String ref, String file, String source) {
        return new WorkflowParser(file).read(ref, source);
    }

    private WorkflowDefinition read(String ref, String source) {
        if (!ACTION_REF.matcher(ref).matches()) {
            fail(0, "'" + ref + "' is not a valid reference: pack and workflow names are letters, digits, '_' and '-'");
        }
        if (source.getBytes(StandardCharsets.UTF_8).length > MAX_SOURCE_BYTES) {
            fail(0, "the file is larger than " + MAX_SOURCE_BYTES / 1024 + " KiB");
            throw new InvalidDefinitionException(errors);
        }
        Node root = compose(source);
        if (!(root instanceof MappingNode top)) {
            fail(root == null ? 1 : line(root), "a workflow is a mapping with 'tasks' (and optionally 'description' "
                    + "and 'input')");
            throw new InvalidDefinitionException(errors);
        }
        Map<String, NodeTuple> fields = mapping(top, TOP_KEYS, "a workflow");
        String description = fields.containsKey("description") ? text(fields.get("description").getValueNode(),
                "description") : null;
        List<String> input = inputs(fields.get("input"));
        NodeTuple tasksField = fields.get("tasks");
        Map<String, TaskDefinition> tasks = new LinkedHashMap<>();
        if (tasksField == null) {
            fail(line(top), "'tasks' is missing: a workflow needs at least one task");
        } else if (!(tasksField.getValueNode() instanceof MappingNode taskNodes) || taskNodes.getValue().isEmpty()) {
            fail(line(tasksField.getValueNode()), "'tasks' must map task names to tasks, with at least one task");
        } else if (taskNodes.getValue().size() > MAX_TASKS) {
            fail(line(taskNodes), "at most " + MAX_TASKS + " tasks in a workflow, not " + taskNodes.getValue().size());
        } else {
            for (NodeTuple entry : taskNodes.getValue()) {
                String name = scalar(entry.getKeyNode());
                if (name == null || !NAME.matcher(name).matches()) {
                    fail(line(entry.getKeyNode()), "task name '" + name + "' must be letters, digits, '_' and '-'");
                } else if (tasks.containsKey(name)) {
                    fail(line(entry.getKeyNode()), "task '" + name + "' is defined twice");
                } else {
                    TaskDefinition task = task(name, entry, Set.copyOf(input));
                    if (task != null) {
                        tasks.put(name, task);
                    }
                }
            }
        }
        List<String> start = List.of();
        if (errors.isEmpty()) {
            checkReferences(tasks);
        }
        if (errors.isEmpty()) {
            start = startTasks(tasks, line(tasksField.getValueNode()));
            checkEndless(tasks);
        }
        if (!errors.isEmpty()) {
            throw new InvalidDefinitionException(errors);
        }
        return new WorkflowDefinition(ref, file, description, input, tasks, start, source, sha256(source));
    }

    private Node compose(String source) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_SOURCE_BYTES);
        options.setAllowRecursiveKeys(false);
        try {
            return new Yaml(options).compose(new StringReader(source));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            fail(mark == null ? 0 : mark.getLine() + 1, "not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            fail(0, "not valid YAML: " + e.getMessage());
        }
        throw new InvalidDefinitionException(errors);
    }

    private List<String> inputs(NodeTuple field) {
        if (field == null) {
            return List.of();
        }
        if (!(field.getValueNode() instanceof SequenceNode list)) {
            fail(line(field.getValueNode()), "'input' must be a list of names, e.g. [service, version]");
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (Node item : list.getValue()) {
            String name = scalar(item);
            if (name == null || !NAME.matcher(name).matches()) {
                fail(line(item), "input name '" + name + "' must be letters, digits, '_' and '-'");
            } else if (!names.add(name)) {
                fail(line(item), "input '" + name + "' is listed twice");
            }
        }
        return List.copyOf(names);
    }

    private TaskDefinition task(String name, NodeTuple entry, Set<String> declaredInputs) {
        Node value = entry.getValueNode();
        int line = line(entry.getKeyNode());
        if (!(value instanceof MappingNode body)) {
            fail(line, "task '" + name + "' must be a mapping with 'action' or 'inquiry'");
            return null;
        }
        int before = errors.size();
        Map<String, NodeTuple> fields = mapping(body, TASK_KEYS, "task '" + name + "'");
        boolean isAction = fields.containsKey("action");
        boolean isInquiry = fields.containsKey("inquiry");
        if (isAction == isInquiry) {
            fail(line, "task '" + name + "' must have exactly one of 'action' or 'inquiry'");
            return null;
        }
        String action = null;
        Template input = null;
        Template inquiry = null;
        if (isAction) {
            Node actionNode = fields.get("action").getValueNode();
            action = scalar(actionNode);
            if (action == null || !ACTION_REF.matcher(action).matches()) {
                fail(line(actionNode), "task '" + name + "': action '" + action + "' must be '<pack>.<action>'");
            }
            NodeTuple inputField = fields.get("input");
            if (inputField != null && !(inputField.getValueNode() instanceof MappingNode)) {
                fail(line(inputField.getValueNode()), "task '" + name + "': 'input' must be a mapping of parameters");
            } else {
                input = template(inputField == null ? Json.object() : json(inputField.getValueNode(), 0),
                        inputField == null ? line : line(inputField.getValueNode()), name, declaredInputs);
            }
        } else {
            if (fields.containsKey("input")) {
                fail(line(fields.get("input").getKeyNode()), "task '" + name + "': 'input' belongs to action tasks; "
                        + "an inquiry's fields go under 'inquiry'");
            }
            inquiry = inquiry(name, fields.get("inquiry").getValueNode(), declaredInputs);
        }
        boolean joinAll = false;
        if (fields.containsKey("join")) {
            Node join = fields.get("join").getValueNode();
            if (!"all".equals(scalar(join))) {
                fail(line(join), "task '" + name + "': join must be 'all', not '" + scalar(join) + "'");
            }
            joinAll = true;
        }
        List<Transition> next = next(name, fields.get("next"), declaredInputs);
        return errors.size() > before ? null
                : new TaskDefinition(name, line, isAction ? TaskDefinition.Kind.ACTION : TaskDefinition.Kind.INQUIRY,
                action, input, inquiry, next, joinAll);
    }

    private Template inquiry(String task, Node node, Set<String> declaredInputs) {
        if (!(node instanceof MappingNode body)) {
            fail(line(node), "task '" + task + "': 'inquiry' must be a mapping with at least 'prompt'");
            return null;
        }
        Map<String, NodeTuple> fields = mapping(body, INQUIRY_KEYS, "task '" + task + "': inquiry");
        NodeTuple prompt = fields.get("prompt");
        if (prompt == null && !fields.containsKey("template")) {
            fail(line(body), "task '" + task + "': the inquiry needs a 'prompt'");
        } else if (prompt != null && (scalar(prompt.getValueNode()) == null
                || scalar(prompt.getValueNode()).isBlank())) {
            fail(line(prompt.getValueNode()), "task '" + task + "': the inquiry's prompt must be a non-empty string");
        }
        NodeTuple timeout = fields.get("timeout_seconds");
        if (timeout != null) {
            JsonNode seconds = json(timeout.getValueNode(), 0);
            if (!(seconds.isIntegralNumber() && seconds.asLong() > 0) && !isExpression(seconds)) {
                fail(line(timeout.getValueNode()), "task '" + task + "': timeout_seconds must be a positive integer");
            }
        }
        NodeTuple onTimeout = fields.get("on_timeout");
        if (onTimeout != null) {
            JsonNode value = json(onTimeout.getValueNode(), 0);
            if (!value.isObject() || !value.has("response") || !value.get("response").isObject()) {
                fail(line(onTimeout.getValueNode()), "task '" + task + "': on_timeout must be {response: {...}}, the "
                        + "answer to use when nobody answers in time");
            }
        }
        NodeTuple schema = fields.get("response_schema");
        if (schema != null && !(schema.getValueNode() instanceof MappingNode)) {
            fail(line(schema.getValueNode()), "task '" + task + "': response_schema must be a JSON Schema object");
        }
        return template(json(body, 0), line(body), task, declaredInputs);
    }

    private static boolean isExpression(JsonNode value) {
        return value.isString() && value.asString().contains("${");
    }

    private List<Transition> next(String task, NodeTuple field, Set<String> declaredInputs) {
        if (field == null) {
            return List.of();
        }
        if (!(field.getValueNode() instanceof SequenceNode list)) {
            fail(line(field.getValueNode()), "task '" + task + "': 'next' must be a list of {when, do} entries");
            return List.of();
        }
        List<Transition> transitions = new ArrayList<>();
        for (Node item : list.getValue()) {
            if (!(item instanceof MappingNode entry)) {
                fail(line(item), "task '" + task + "': each 'next' entry is a mapping {when: <condition>, do: <task>}");
                continue;
            }
            Map<String, NodeTuple> fields = mapping(entry, NEXT_KEYS, "task '" + task + "': next entry");
            Expression when = null;
            if (fields.containsKey("when")) {
                Node whenNode = fields.get("when").getValueNode();
                String source = scalar(whenNode);
                if (source == null || source.isBlank()) {
                    fail(line(whenNode), "task '" + task + "': 'when' must be a CEL condition");
                } else {
                    try {
                        when = Expression.condition(source);
                        checkNames(when.inputs(), declaredInputs, line(whenNode), task);
                    } catch (IllegalArgumentException e) {
                        fail(line(whenNode), "task '" + task + "': condition '" + source + "' does not compile: "
                                + e.getMessage());
                    }
                }
            }
            List<String> targets = new ArrayList<>();
            NodeTuple doField = fields.get("do");
            if (doField == null) {
                fail(line(entry), "task '" + task + "': a 'next' entry needs 'do' (the task or tasks to run)");
            } else if (doField.getValueNode() instanceof SequenceNode many) {
                many.getValue().forEach(n -> targets.add(scalar(n)));
            } else {
                targets.add(scalar(doField.getValueNode()));
            }
            if (doField != null && (targets.isEmpty() || targets.contains(null))) {
                fail(line(doField.getValueNode()), "task '" + task + "': 'do' names a task or a list of tasks");
            }
            transitions.add(new Transition(when, List.copyOf(targets.stream().filter(t -> t != null).toList()),
                    line(entry)));
        }
        return List.copyOf(transitions);
    }

    private Template template(JsonNode value, int line, String task, Set<String> declaredInputs) {
        try {
            Template template = Template.of(value);
            checkNames(template.inputs(), declaredInputs, line, task);
            return template;
        } catch (IllegalArgumentException e) {
            fail(line, "task '" + task + "': " + e.getMessage());
            return null;
        }
    }

    private void checkNames(Set<String> read, Set<String> declared, int line, String task) {
        for (String name : read) {
            if (!declared.contains(name)) {
                fail(line, "task '" + task + "' reads input." + name + " but 'input' does not list '" + name + "'"
                        + (declared.isEmpty() ? "" : " (it lists " + String.join(", ", declared) + ")"));
            }
        }
    }

    /** Every task named in a {@code next} or read as {@code tasks.<name>} exists. */
    private void checkReferences(Map<String, TaskDefinition> tasks) {
        for (TaskDefinition task : tasks.values()) {
            for (Transition transition : task.next()) {
                for (String target : transition.targets()) {
                    if (!tasks.containsKey(target)) {
                        fail(transition.line(), "task '" + task.name() + "': next names unknown task '" + target
                                + "' (tasks: " + String.join(", ", tasks.keySet()) + ")");
                    }
                }
                if (transition.when() != null) {
                    unknownTasks(transition.when().tasks(), tasks, transition.line(), task.name());
                }
            }
            Template template = task.kind() == TaskDefinition.Kind.ACTION ? task.input() : task.inquiry();
            unknownTasks(template.tasks(), tasks, task.line(), task.name());
        }
    }

    private void unknownTasks(Set<String> read, Map<String, TaskDefinition> tasks, int line, String task) {
        for (String name : read) {
            if (!tasks.containsKey(name)) {
                fail(line, "task '" + task + "' reads tasks." + name + " but there is no task '" + name + "'");
            }
        }
    }

    private List<String> startTasks(Map<String, TaskDefinition> tasks, int line) {
        Set<String> targeted = new LinkedHashSet<>();
        tasks.values().forEach(t -> t.next().forEach(n -> targeted.addAll(n.targets())));
        List<String> start = tasks.keySet().stream().filter(name -> !targeted.contains(name)).toList();
        if (start.isEmpty()) {
            fail(line, "no task to start with: every task is named in some 'next', so nothing runs first");
        }
        return start;
    }

    /**
     * A task can end its branch when it has no {@code next}, when one of its entries is conditional (none may
     * match), or when every task it always continues to can end. What is left runs forever: a cycle of
     * unconditional {@code next} entries with no way out.
     */
    private void checkEndless(Map<String, TaskDefinition> tasks) {
        Set<String> canEnd = new LinkedHashSet<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (TaskDefinition task : tasks.values()) {
                if (canEnd.contains(task.name())) {
                    continue;
                }
                boolean ends = task.next().isEmpty() || task.next().stream().anyMatch(n -> !n.unconditional())
                        || task.next().stream().allMatch(n -> canEnd.containsAll(n.targets()));
                if (ends) {
                    canEnd.add(task.name());
                    grew = true;
                }
            }
        }
        for (TaskDefinition task : tasks.values()) {
            if (!canEnd.contains(task.name())) {
                fail(task.line(), "task '" + task.name() + "' is on a cycle without a way out: every 'next' entry "
                        + "from it leads back with no 'when', so the workflow could never end");
            }
        }
    }

    private Map<String, NodeTuple> mapping(MappingNode node, Set<String> allowed, String what) {
        Map<String, NodeTuple> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : node.getValue()) {
            String key = scalar(tuple.getKeyNode());
            if (key == null || !allowed.contains(key)) {
                fail(line(tuple.getKeyNode()), what + ": unknown key '" + key + "' (allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            } else if (fields.put(key, tuple) != null) {
                fail(line(tuple.getKeyNode()), what + ": '" + key + "' is given twice");
            }
        }
        return fields;
    }

    private String text(Node node, String what) {
        String value = scalar(node);
        if (value == null) {
            fail(line(node), "'" + what + "' must be text");
        }
        return value;
    }

    private JsonNode json(Node node, int depth) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (depth > MAX_DEPTH) {
            fail(line(node), "nested deeper than " + MAX_DEPTH + " levels");
            return nodes.nullNode();
        }
        if (node instanceof MappingNode map) {
            ObjectNode object = Json.object();
            for (NodeTuple tuple : map.getValue()) {
                String key = scalar(tuple.getKeyNode());
                if (key == null) {
                    fail(line(tuple.getKeyNode()), "keys must be text");
                } else if (object.has(key)) {
                    fail(line(tuple.getKeyNode()), "'" + key + "' is given twice");
                } else {
                    object.set(key, json(tuple.getValueNode(), depth + 1));
                }
            }
            return object;
        }
        if (node instanceof SequenceNode list) {
            ArrayNode array = nodes.arrayNode();
            list.getValue().forEach(item -> array.add(json(item, depth + 1)));
            return array;
        }
        ScalarNode scalar = (ScalarNode) node;
        String value = scalar.getValue();
        Tag tag = scalar.getTag();
        try {
            if (Tag.NULL.equals(tag)) {
                return nodes.nullNode();
            } else if (Tag.BOOL.equals(tag)) {
                return nodes.booleanNode(value.equalsIgnoreCase("true") || value.equalsIgnoreCase("yes")
                        || value.equalsIgnoreCase("on"));
            } else if (Tag.INT.equals(tag)) {
                BigInteger number = new BigInteger(value.replace("_", ""));
                return number.bitLength() < 64 ? nodes.numberNode(number.longValue()) : nodes.numberNode(number);
            } else if (Tag.FLOAT.equals(tag)) {
                return nodes.numberNode(Double.parseDouble(value.replace("_", "")));
            }
        } catch (NumberFormatException e) {
            return nodes.stringNode(value);
        }
        return nodes.stringNode(value);
    }

    private static String scalar(Node node) {
        return node instanceof ScalarNode s && !Tag.NULL.equals(s.getTag()) ? s.getValue() : null;
    }

    private static int line(Node node) {
        return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private void fail(int line, String message) {
        errors.add(new DefinitionError(file, line, message));
    }

    static String sha256(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
