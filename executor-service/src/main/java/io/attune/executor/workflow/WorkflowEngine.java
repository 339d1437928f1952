package io.attune.executor.workflow;

import io.attune.core.event.Outbox;
import io.attune.core.execution.Execution;
import io.attune.core.execution.ExecutionRepository;
import io.attune.core.execution.ExecutionTransitions;
import io.attune.core.identity.Actor;
import io.attune.core.inquiry.ExecutionCancellation;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.InquiryRepository;
import io.attune.core.inquiry.InquiryRequestValidator;
import io.attune.core.inquiry.InquiryTransitions;
import io.attune.core.inquiry.ResultMask;
import io.attune.core.workflow.WorkflowRepository.TaskRun;
import io.attune.core.workflow.WorkflowRepository;
import io.attune.model.ExecutionStatus;
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionRequested;
import io.attune.workflow.definition.EvaluationException;
import io.attune.workflow.definition.Expression;
import io.attune.workflow.definition.InvalidDefinitionException;
import io.attune.workflow.definition.TaskDefinition;
import io.attune.workflow.definition.Transition;
import io.attune.workflow.definition.WorkflowDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The workflow engine (docs/workflows.md). A step — a workflow started, or one of its task runs finished and the
 * next tasks chosen and dispatched — is one transaction holding the workflow execution's row lock, the task run
 * marked finished, the decision, the child executions of the next tasks, their inquiries and every event that
 * announces them. Steps of one workflow therefore run one at a time; a redelivered or repeated step finds its task
 * run finished (or the workflow started) and changes nothing; a step that did not commit is redelivered and taken
 * again. Either way no step is lost and none runs twice.
 */
@Service
public class WorkflowEngine {
    private static final Logger log = LoggerFactory.getLogger(WorkflowEngine.class);
    /** The action_ref of an inquiry task's run: it asks a person, no worker runs it (StackStorm's name). */
    public static final String ASK = "core.ask";
    private static final Set<ExecutionStatus> FINISHED = EnumSet.of(ExecutionStatus.COMPLETED,
            ExecutionStatus.FAILED, ExecutionStatus.TIMEOUT, ExecutionStatus.CANCELLED);

    /** What a delivery led to. */
    public enum Outcome { STARTED, STEPPED, STATUS_ONLY, NOT_A_WORKFLOW, ALREADY_DONE }

    private final WorkflowRepository workflows;
    private final ExecutionRepository executions;
    private final ExecutionTransitions executionTransitions;
    private final ExecutionCancellation cancellation;
    private final InquiryTransitions inquiryTransitions;
    private final InquiryRepository inquiries;
    private final InquiryRequestValidator validator;
    private final CompiledDefinitions definitions;
    private final Outbox outbox;
    private final ResultMask resultMask;

    public WorkflowEngine(WorkflowRepository workflows, ExecutionRepository executions,
                          ExecutionTransitions executionTransitions, ExecutionCancellation cancellation,
                          InquiryTransitions inquiryTransitions, InquiryRepository inquiries,
                          InquiryRequestValidator validator, CompiledDefinitions definitions, Outbox outbox,
                          ResultMask resultMask) {
        this.workflows = workflows;
        this.executions = executions;
        this.executionTransitions = executionTransitions;
        this.cancellation = cancellation;
        this.inquiryTransitions = inquiryTransitions;
        this.inquiries = inquiries;
        this.validator = validator;
        this.definitions = definitions;
        this.outbox = outbox;
        this.resultMask = resultMask;
    }

    /** ExecutionRequested: starts the execution if it is a workflow that has not started yet. */
    @Transactional
    public Outcome start(long executionId, UUID correlationId) {
        Optional<WorkflowRepository.Run> run = workflows.run(executionId);
        if (run.isEmpty()) {
            return Outcome.NOT_A_WORKFLOW;
        }
        Execution workflow = executions.lock(executionId).orElseThrow();
        if (workflow.status() != ExecutionStatus.REQUESTED) {
            return Outcome.ALREADY_DONE;
        }
        workflow = move(workflow, ExecutionStatus.RUNNING, workflow.result(), correlationId);
        WorkflowDefinition definition;
        try {
            definition = definitions.of(run.get());
        } catch (InvalidDefinitionException e) {
            fail(workflow, null, null, "the definition no longer parses: " + e.getMessage(), correlationId);
            return Outcome.STARTED;
        }
        ArrayNode chosen = JsonNodeFactory.instance.arrayNode();
        definition.start().forEach(task -> chosen.add(Json.object().put("do", task)));
        workflows.decide(workflow.id(), null, null, "started", chosen, null);
        try {
            for (String task : definition.start()) {
                dispatch(workflow, definition, task, null, Json.object(), correlationId);
            }
        } catch (EvaluationException e) {
            fail(workflow, null, null, e.getMessage(), correlationId);
            return Outcome.STARTED;
        }
        settle(workflow, correlationId);
        log.info("Workflow {} ({}) started: {}", workflow.id(), definition.ref(), definition.start());
        return Outcome.STARTED;
    }

    /**
     * Which of the executions are task runs, each with its workflow, read outside any transaction: most executions
     * whose status changes are not task runs, and for them this one statement (for all the changes that arrived
     * together) is all the step consumer needs (no transaction, no session). A task run's row is stored with its
     * execution, so it exists before any change of that execution is announced.
     */
    public Map<Long, Long> workflowsOfTaskRuns(Collection<Long> executionIds) {
        return workflows.workflowsOfTaskRuns(executionIds);
    }

    /**
     * ExecutionStatusChanged of a task run of {@code workflowId} ({@link #workflowsOfTaskRuns}): the workflow takes its
     * step (when the run finished) or updates its own status (paused while any of its inquiries waits, running
     * otherwise).
     */
    @Transactional
    public Outcome onTaskChanged(long executionId, long workflowId, UUID correlationId) {
        Execution workflow = executions.lock(workflowId).orElseThrow();
        TaskRun taskRun = workflows.taskRunOf(executionId).orElseThrow(); // read under the lock
        if (taskRun.finished() != null) {
            return Outcome.ALREADY_DONE;
        }
        Execution child = executions.find(executionId).orElseThrow();
        WorkflowRepository.Run run = workflows.run(workflow.id()).orElseThrow();
        if (!FINISHED.contains(child.status())) {
            if (FINISHED.contains(workflow.status())) {
                return Outcome.ALREADY_DONE;
            }
            settle(workflow, correlationId);
            return Outcome.STATUS_ONLY;
        }
        WorkflowDefinition definition = definitions.of(run);
        TaskDefinition task = definition.task(taskRun.task());
        TaskResult result = taskResult(task, child);
        workflows.finish(taskRun.id(), result.asJson());
        if (FINISHED.contains(workflow.status())) {
            // the workflow ended (cancelled, failed) while this run was out: nothing follows it
            return Outcome.ALREADY_DONE;
        }
        if (child.status() == ExecutionStatus.CANCELLED) {
            workflows.decide(workflow.id(), taskRun.id(), task.name(), "cancelled", null,
                    "task " + task.name() + " was cancelled");
            Execution cancelled = cancellation.cancelTree(workflow, Actor.SYSTEM, correlationId);
            log.info("Workflow {} cancelled with its task {}", cancelled.id(), task.name());
            return Outcome.STEPPED;
        }
        JsonNode tasks = tasksVariable(workflow.id());
        Expression.Variables variables = new Expression.Variables(workflow.parameters(), result.result(), tasks);
        List<Transition> matched = new ArrayList<>();
        List<String> evaluationErrors = new ArrayList<>();
        for (Transition transition : task.next()) {
            try {
                if (transition.unconditional() || transition.when().evaluate(variables).asBoolean(false)) {
                    matched.add(transition);
                }
            } catch (EvaluationException e) {
                // does not match (a timed-out inquiry has no response to read); said if nothing else matches
                evaluationErrors.add(e.getMessage());
            }
        }
        if (matched.isEmpty()) {
            if (!"completed".equals(result.status()) || !evaluationErrors.isEmpty()) {
                fail(workflow, taskRun, task.name(), "task " + task.name() + " ended " + result.status()
                        + " and no 'next' entry matched" + reasonOf(result)
                        + (evaluationErrors.isEmpty() ? "" : " (" + String.join("; ", evaluationErrors) + ")"),
                        correlationId);
                return Outcome.STEPPED;
            }
            workflows.decide(workflow.id(), taskRun.id(), task.name(), "branch_ended", null, null);
        } else {
            ArrayNode chosen = JsonNodeFactory.instance.arrayNode();
            Set<String> targets = new LinkedHashSet<>();
            for (Transition transition : matched) {
                for (String target : transition.targets()) {
                    ObjectNode entry = Json.object().put("do", target);
                    entry.put("when", transition.unconditional() ? null : transition.when().source());
                    chosen.add(entry);
                    targets.add(target);
                }
            }
            workflows.decide(workflow.id(), taskRun.id(), task.name(), "continued", chosen, null);
            try {
                for (String target : targets) {
                    arrive(workflow, definition, task.name(), taskRun.id(), target, result.result(), correlationId);
                }
            } catch (EvaluationException e) {
                fail(workflow, taskRun, task.name(), e.getMessage(), correlationId);
                return Outcome.STEPPED;
            }
        }
        settle(workflow, correlationId);
        return Outcome.STEPPED;
    }

    private void arrive(Execution workflow, WorkflowDefinition definition, String from, long fromRun, String target,
                        JsonNode result, UUID correlationId) {
        TaskDefinition task = definition.task(target);
        if (!task.joinAll()) {
            dispatch(workflow, definition, target, fromRun, result, correlationId);
            return;
        }
        workflows.arrive(workflow.id(), target, from, fromRun);
        Set<String> needed = definition.predecessors(target);
        if (workflows.waitingArrivals(workflow.id(), target).containsAll(needed)) {
            Long run = dispatch(workflow, definition, target, fromRun, result, correlationId);
            if (run != null) {
                workflows.consumeArrivals(workflow.id(), target, run);
            }
        }
    }

    /** Starts one run of {@code name}: an action for a worker, or an inquiry for a person. Null if it already ran. */
    private Long dispatch(Execution workflow, WorkflowDefinition definition, String name, Long causedBy,
                          JsonNode result, UUID correlationId) {
        if (workflows.arrivalRecorded(workflow.id(), name, causedBy)) {
            return null;
        }
        TaskDefinition task = definition.task(name);
        Expression.Variables variables = new Expression.Variables(workflow.parameters(), result,
                tasksVariable(workflow.id()));
        if (task.kind() == TaskDefinition.Kind.ACTION) {
            JsonNode parameters = render(task, task.input(), variables);
            Execution child = executions.insertChild(workflow.id(), task.action(), parameters,
                    workflow.requestedBy());
            Long run = workflows.insertTaskRun(workflow.id(), name, child.id(), causedBy).orElseThrow();
            outbox.append(new ExecutionRequested(child.id(), task.action(), parameters), correlationId);
            return run;
        }
        JsonNode spec = render(task, task.inquiry(), variables);
        // the inquiry as asked is the run's parameters (what the history and the API show of the task run)
        Execution child = executions.insertChild(workflow.id(), ASK, spec, workflow.requestedBy());
        Long run = workflows.insertTaskRun(workflow.id(), name, child.id(), causedBy).orElseThrow();
        InquiryRequestValidator.Result validation = validator.validate(spec);
        if (!validation.isValid()) {
            // the run fails like an action with an invalid __inquiry; its ExecutionStatusChanged brings the next step
            ObjectNode failed = Json.object();
            failed.put("error", validation.summary());
            failed.set("inquiry_errors", Json.mapper().valueToTree(validation.problems()));
            executionTransitions.finish(child, ExecutionStatus.FAILED, failed, correlationId);
            return run;
        }
        ObjectNode asked = Json.object();
        asked.set(InquiryRequest.KEY, spec);
        inquiryTransitions.open(child, validation.request(), asked, correlationId);
        return run;
    }

    private static JsonNode render(TaskDefinition task, io.attune.workflow.definition.Template template,
                                   Expression.Variables variables) {
        try {
            return template.render(variables);
        } catch (EvaluationException e) {
            throw new EvaluationException("task " + task.name() + ": " + e.getMessage());
        }
    }

    /**
     * The workflow's own status after a step: finished when no task run is out (failed if a {@code join: all} still
     * waits for a task that never came), otherwise paused while any run waits on an inquiry, else running.
     */
    private void settle(Execution workflow, UUID correlationId) {
        List<TaskRun> runs = workflows.taskRuns(workflow.id());
        Set<Long> active = new LinkedHashSet<>();
        runs.stream().filter(r -> r.finished() == null).forEach(r -> active.add(r.execution()));
        if (active.isEmpty()) {
            List<String> joins = workflows.waitingJoins(workflow.id());
            if (!joins.isEmpty()) {
                fail(workflow, null, null, "join task(s) " + String.join(", ", joins)
                        + " waited for tasks that never arrived", correlationId);
                return;
            }
            workflows.decide(workflow.id(), null, null, "completed", null, null);
            move(workflow, ExecutionStatus.COMPLETED, summary(workflow.id(), null), correlationId);
            log.info("Workflow {} completed", workflow.id());
            return;
        }
        boolean waiting = executions.children(workflow.id()).stream()
                .anyMatch(c -> active.contains(c.id()) && c.status() == ExecutionStatus.PAUSED);
        ExecutionStatus status = waiting ? ExecutionStatus.PAUSED : ExecutionStatus.RUNNING;
        if (status != workflow.status()) {
            move(workflow, status, workflow.result(), correlationId);
        }
    }

    /**
     * Ends the workflow as failed with the reason; whatever still runs in it is cancelled. The reason is shown (the
     * workflow's result, its decisions, the log) and an evaluation error may quote a value: secrets are masked.
     */
    private void fail(Execution workflow, TaskRun taskRun, String task, String unscrubbedReason,
                      UUID correlationId) {
        String reason = resultMask.scrubbed(workflow.id(), unscrubbedReason);
        workflows.decide(workflow.id(), taskRun == null ? null : taskRun.id(), task, "failed", null, reason);
        for (Execution child : executions.children(workflow.id())) {
            if (ExecutionCancellation.UNFINISHED.contains(child.status())) {
                cancellation.cancelTree(executions.lock(child.id()).orElseThrow(), Actor.SYSTEM, correlationId);
            }
        }
        Execution current = executions.find(workflow.id()).orElseThrow();
        move(current, ExecutionStatus.FAILED, summary(workflow.id(), reason), correlationId);
        log.info("Workflow {} failed: {}", workflow.id(), reason);
    }

    /**
     * The workflow's result: each task's latest result, and why it failed. Nothing evaluates it, and the API and
     * ExecutionStatusChanged show it, so it is stored with the answers' secrets masked (docs/security.md).
     */
    private ObjectNode summary(long workflow, String error) {
        ObjectNode result = Json.object();
        if (error != null) {
            result.put("error", error);
        }
        ObjectNode tasks = Json.object();
        for (TaskRun run : workflows.taskRuns(workflow)) {
            if (run.finished() != null && run.result() != null) {
                tasks.set(run.task(), resultMask.shownTaskRun(run.execution(), run.result()));
            }
        }
        result.set("tasks", tasks);
        return result;
    }

    /**
     * {@code tasks}: for each finished task its latest run's {@code {status, result}}, answers in clear: only the
     * engine's {@code when} and {@code ${...}} read it.
     */
    private JsonNode tasksVariable(long workflow) {
        ObjectNode tasks = Json.object();
        for (TaskRun run : workflows.taskRuns(workflow)) {
            if (run.finished() != null && run.result() != null) {
                tasks.set(run.task(), run.result());
            }
        }
        return tasks;
    }

    private Execution move(Execution before, ExecutionStatus to, JsonNode result, UUID correlationId) {
        Execution after = executions.update(before, EnumSet.of(before.status()), to, result)
                .orElseThrow(() -> new IllegalStateException("workflow " + before.id() + " changed under a lock"));
        executionTransitions.announce(before, after, correlationId);
        return after;
    }

    private static String reasonOf(TaskResult result) {
        JsonNode error = result.result().path("error");
        return error.isString() ? ": " + error.asString() : "";
    }

    /**
     * What a finished run gives the expressions. An action: the action's result. An inquiry:
     * {@code {status, response, responded_by, responses, defaulted}} — with {@code on_timeout}, a timeout gives its answer and
     * {@code defaulted: true}, and counts as completed.
     */
    private TaskResult taskResult(TaskDefinition task, Execution child) {
        String status = child.status().wire();
        if (task.kind() == TaskDefinition.Kind.ACTION || child.parameters() == null) {
            JsonNode result = child.result() == null ? Json.object() : child.result();
            return new TaskResult(status, result);
        }
        List<Inquiry> asked = inquiries.ofChain(child.id());
        ObjectNode result = Json.object();
        if (asked.isEmpty()) {
            result.put("status", "failed");
            result.set("error", child.result() == null ? null : child.result().get("error"));
            return new TaskResult(status, result);
        }
        Inquiry inquiry = asked.get(asked.size() - 1);
        result.put("status", inquiry.status().wire());
        result.set("response", inquiry.response());
        result.put("responded_by", inquiry.respondedBy());
        result.set("responses", Json.mapper().valueToTree(inquiry.responses()));
        // on_timeout: the inquiry timed out and the run went on, completed, with the default answer
        boolean defaulted = inquiry.defaulted();
        if (defaulted) {
            result.set("response", inquiry.onTimeout().get("response"));
            status = ExecutionStatus.COMPLETED.wire();
        }
        result.put("defaulted", defaulted);
        return new TaskResult(status, result);
    }

    /** A finished run's status ({@code completed}, {@code failed}, {@code timeout}) and its result. */
    private record TaskResult(String status, JsonNode result) {
        JsonNode asJson() {
            ObjectNode json = Json.object();
            json.put("status", status);
            json.set("result", result);
            return json;
        }
    }
}
