package io.attune.worker.workflow;

import io.attune.core.workflow.WorkflowRepository;
import io.attune.model.json.Json;
import io.attune.worker.action.PacksDirectory;
import io.attune.workflow.definition.DefinitionError;
import io.attune.workflow.definition.InvalidDefinitionException;
import io.attune.workflow.definition.WorkflowDefinition;
import io.attune.workflow.definition.WorkflowParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * At start-up, reads every {@code <packs>/<pack>/workflows/<name>.yaml} (or {@code .yml}), validates it and
 * registers it in Postgres, valid or not: the api starts a valid one by its ref and refuses an invalid one with its
 * errors; each error is also logged as {@code file:line: what is wrong} for the pack author.
 */
@Component
public class WorkflowRegistration extends PackFileRegistration {
    private static final Logger log = LoggerFactory.getLogger(WorkflowRegistration.class);

    private final WorkflowRepository workflows;

    public WorkflowRegistration(PacksDirectory packs, WorkflowRepository workflows) {
        super(packs, "workflows", "workflows");
        this.workflows = workflows;
    }

    @Override
    protected String register(String ref, Path file) throws IOException {
        String relative = packs.path().relativize(file).toString();
        if (Files.size(file) > WorkflowParser.MAX_SOURCE_BYTES) {
            save(ref, relative, "", List.of(), List.of(new DefinitionError(relative, 0, "the file is larger than "
                    + WorkflowParser.MAX_SOURCE_BYTES / 1024 + " KiB")));
            return ref + " (invalid)";
        }
        String source = Files.readString(file, StandardCharsets.UTF_8);
        try {
            WorkflowDefinition definition = WorkflowParser.parse(ref, relative, source);
            workflows.register(ref, relative, source, definition.checksum(), definition.input(), null,
                    definition.outline());
            return ref;
        } catch (InvalidDefinitionException e) {
            e.errors().forEach(error -> log.warn("Workflow {} is invalid: {}", ref, error));
            save(ref, relative, source, List.of(), e.errors());
            return ref + " (invalid)";
        }
    }

    private void save(String ref, String file, String source, List<String> input, List<DefinitionError> errors) {
        workflows.register(ref, file, source, "invalid", input, Json.mapper().valueToTree(errors), null);
    }
}
