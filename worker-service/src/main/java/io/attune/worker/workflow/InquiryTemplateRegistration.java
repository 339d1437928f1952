package io.attune.worker.workflow;

import io.attune.core.inquiry.InquiryTemplates;
import io.attune.model.json.Json;
import io.attune.worker.action.PacksDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * At start-up, reads every {@code <packs>/<pack>/inquiries/<name>.yaml} (or {@code .yml}), checks it and registers it
 * in Postgres as {@code <pack>.<name>}, valid or not (docs/policies.md#templates): the executor expands a valid one
 * when an {@code __inquiry} names it, and fails the execution with the errors of an invalid one. What the expanded
 * inquiry holds is validated when it is opened, like any {@code __inquiry}; here only the file's shape is checked.
 */
@Component
public class InquiryTemplateRegistration extends PackFileRegistration {
    private static final Logger log = LoggerFactory.getLogger(InquiryTemplateRegistration.class);
    /** A template is a prompt and a schema: 128 KiB leaves room for the largest schema allowed. */
    static final int MAX_SOURCE_BYTES = 128 * 1024;

    private final InquiryTemplates templates;

    public InquiryTemplateRegistration(PacksDirectory packs, InquiryTemplates templates) {
        super(packs, "inquiries", "inquiry templates");
        this.templates = templates;
    }

    @Override
    protected String register(String ref, Path file) throws IOException {
        String relative = packs.path().relativize(file).toString();
        List<Problem> problems = new ArrayList<>();
        JsonNode definition = null;
        if (Files.size(file) > MAX_SOURCE_BYTES) {
            problems.add(new Problem(0, "the file is larger than " + MAX_SOURCE_BYTES / 1024 + " KiB"));
        } else {
            definition = read(Files.readString(file, StandardCharsets.UTF_8), problems);
        }
        if (problems.isEmpty()) {
            templates.register(ref, relative, definition, null);
            return ref;
        }
        ArrayNode errors = Json.mapper().createArrayNode();
        for (Problem problem : problems) {
            log.warn("Inquiry template {} is invalid: {}:{}: {}", ref, relative, problem.line(), problem.message());
            errors.addObject().put("file", relative).put("line", problem.line()).put("message", problem.message());
        }
        templates.register(ref, relative, null, errors);
        return ref + " (invalid)";
    }

    /** The template as JSON: a mapping of {@code __inquiry} fields; null (with the problems) otherwise. */
    public static JsonNode read(String source, List<Problem> problems) {
        Object loaded;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(20);
            options.setNestingDepthLimit(64);
            options.setCodePointLimit(MAX_SOURCE_BYTES);
            loaded = new Yaml(new SafeConstructor(options)).load(source);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            problems.add(new Problem(mark == null ? 0 : mark.getLine() + 1, "not valid YAML: " + e.getProblem()));
            return null;
        } catch (YAMLException e) {
            problems.add(new Problem(0, "not valid YAML: " + e.getMessage()));
            return null;
        }
        if (!(loaded instanceof Map<?, ?>)) {
            problems.add(new Problem(1, "a template is a mapping of __inquiry fields (prompt, response_schema, ...)"));
            return null;
        }
        JsonNode definition;
        try {
            definition = Json.mapper().valueToTree(loaded);
        } catch (RuntimeException e) {
            problems.add(new Problem(0, "cannot be read as JSON: " + e.getMessage()));
            return null;
        }
        for (String field : ((ObjectNode) definition).propertyNames()) {
            if (!InquiryTemplates.FIELDS.contains(field)) {
                problems.add(new Problem(0, "unknown field '" + field + "'; a template may set "
                        + InquiryTemplates.FIELDS.stream().sorted().toList()));
            }
        }
        if (definition.has("prompt") && !definition.get("prompt").isString()) {
            problems.add(new Problem(0, "prompt must be a string"));
        }
        return problems.isEmpty() ? definition : null;
    }

    public record Problem(int line, String message) {
    }
}
