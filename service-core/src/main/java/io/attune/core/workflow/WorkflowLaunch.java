package io.attune.core.workflow;

import io.attune.core.error.DomainException;
import io.attune.core.execution.Execution;
import io.attune.core.execution.ExecutionTransitions;
import io.attune.core.identity.Actor;
import io.attune.model.rest.ApiError.ErrorDetail;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Starting a workflow from {@code POST /api/v1/executions}: its {@code parameters} are the workflow's input. The
 * execution, the definition it runs (as registered now) and ExecutionRequested commit together; the executor's
 * engine takes it from there. An invalid definition or a missing input is refused with 422 and nothing is created.
 */
@Service
public class WorkflowLaunch {
    private final WorkflowRepository workflows;
    private final ExecutionTransitions transitions;

    public WorkflowLaunch(WorkflowRepository workflows, ExecutionTransitions transitions) {
        this.workflows = workflows;
        this.transitions = transitions;
    }

    /** The registered workflow {@code actionRef} names, if it names one. */
    public Optional<WorkflowRepository.Definition> definition(String actionRef) {
        return actionRef == null ? Optional.empty() : workflows.definition(actionRef);
    }

    @Transactional
    public Execution start(WorkflowRepository.Definition definition, JsonNode parameters, Actor actor,
                           UUID correlationId) {
        if (!definition.valid()) {
            List<ErrorDetail> details = new ArrayList<>();
            definition.errors().forEach(e -> details.add(new ErrorDetail(e.path("file").asString() + ":"
                    + e.path("line").asInt(), e.path("message").asString())));
            throw DomainException.validation("workflow " + definition.ref() + " cannot run: its definition "
                    + definition.file() + " is invalid", details);
        }
        if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
            throw DomainException.badRequest("parameters must be a JSON object");
        }
        List<ErrorDetail> missing = new ArrayList<>();
        for (String name : definition.input()) {
            if (parameters == null || !parameters.has(name)) {
                missing.add(new ErrorDetail("/parameters/" + name, "required input of workflow "
                        + definition.ref()));
            }
        }
        if (!missing.isEmpty()) {
            throw DomainException.validation("workflow " + definition.ref() + " needs the input "
                    + String.join(", ", definition.input()), missing);
        }
        Execution execution = transitions.request(definition.ref(), parameters, actor, correlationId);
        workflows.insertRun(execution.id(), definition);
        return execution;
    }
}
