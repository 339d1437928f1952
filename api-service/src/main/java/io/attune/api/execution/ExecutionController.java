package io.attune.api.execution;

import io.attune.api.inquiry.InquiryController;
import io.attune.core.execution.Execution;
import io.attune.core.execution.ExecutionTransitions;
import io.attune.core.identity.Actor;
import io.attune.core.inquiry.ExecutionCancellation;
import io.attune.core.inquiry.ExecutionVisibility;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.ResultMask;
import io.attune.model.rest.WorkflowView;
import io.attune.model.rest.InquiryView;
import io.attune.core.workflow.WorkflowLaunch;
import io.attune.core.workflow.WorkflowQueries;
import io.attune.model.rest.CreateExecutionRequest;
import io.attune.model.rest.DataResponse;
import io.attune.model.rest.ExecutionView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.util.List;
import java.util.UUID;

@RestController
@RequestMapping("/api/v1/executions")
@Tag(name = "executions")
public class ExecutionController {
    private final ExecutionTransitions transitions;
    private final WorkflowLaunch workflows;
    private final WorkflowQueries chains;
    private final ExecutionVisibility visibility;
    private final ExecutionCancellation cancellation;
    private final ResultMask results;

    public ExecutionController(ExecutionTransitions transitions, WorkflowLaunch workflows, WorkflowQueries chains,
                               ExecutionVisibility visibility, ExecutionCancellation cancellation,
                               ResultMask results) {
        this.transitions = transitions;
        this.visibility = visibility;
        this.workflows = workflows;
        this.chains = chains;
        this.cancellation = cancellation;
        this.results = results;
    }

    @PostMapping
    @Operation(summary = "Request an execution of an action or a workflow",
            description = "An action is picked up by a worker from ExecutionRequested; a workflow "
                    + "(packs/<pack>/workflows/<name>.yaml) is run by the executor, its parameters being its input "
                    + "(docs/workflows.md).")
    @ApiResponse(responseCode = "201", description = "the execution, status requested; Location names it")
    @ApiResponse(responseCode = "400", description = "action_ref is not '<pack>.<action>', or parameters is not an "
            + "object")
    @ApiResponse(responseCode = "422", description = "a workflow's input is missing (details name each), or its "
            + "definition is invalid (details: file:line and what is wrong)")
    public ResponseEntity<DataResponse<ExecutionView>> create(
            @RequestBody CreateExecutionRequest request,
            @RequestHeader(name = InquiryController.CORRELATION_HEADER, required = false) UUID correlationId,
            @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        Execution execution = workflows.definition(request.actionRef())
                .map(definition -> workflows.start(definition, request.parameters(), actor, correlationId))
                .orElseGet(() -> transitions.request(request.actionRef(), request.parameters(), actor,
                        correlationId));
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}")
                        .buildAndExpand(execution.id()).toUri())
                .body(DataResponse.of(results.view(execution)));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One execution", description = "Admins read every execution; others those they requested "
            + "and those with an inquiry they may see.")
    @ApiResponse(responseCode = "200", description = "the execution")
    @ApiResponse(responseCode = "404", description = "no such execution, or not yours to read")
    public DataResponse<ExecutionView> get(@PathVariable long id,
                                           @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        return DataResponse.of(results.view(visibility.visible(id, actor)));
    }

    @GetMapping("/{id}/workflow")
    @Operation(summary = "A workflow as people follow it: its tasks and their next entries, its runs, its decisions",
            description = "Readable by whoever may read the workflow execution, and by whoever may see one of its "
                    + "inquiries (an approver sees the workflow around the question).")
    @ApiResponse(responseCode = "200", description = "the workflow")
    @ApiResponse(responseCode = "404", description = "no such workflow execution, or not yours to read")
    public DataResponse<WorkflowView> workflow(@PathVariable long id,
                                               @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        return DataResponse.of(chains.workflow(id, actor));
    }

    @GetMapping("/{id}/children")
    @Operation(summary = "A workflow's task runs, oldest first", description = "Each is an execution with parent "
            + "set; an inquiry task's run has action_ref core.ask and the inquiry as asked in its parameters.")
    @ApiResponse(responseCode = "200", description = "the child executions (none for an action's execution)")
    @ApiResponse(responseCode = "404", description = "no such execution, or not yours to read")
    public DataResponse<List<ExecutionView>> children(@PathVariable long id,
                                                      @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        return DataResponse.of(chains.children(id, actor).stream().map(results::view).toList());
    }

    @GetMapping("/{id}/inquiries")
    @Operation(summary = "Every inquiry of the execution chain, oldest first",
            description = "The execution's own inquiries and those of its task runs at any depth; a user who is not "
                    + "admin sees those assigned to them or to nobody.")
    @ApiResponse(responseCode = "200", description = "the inquiries")
    @ApiResponse(responseCode = "404", description = "no such execution, or not yours to read")
    public DataResponse<List<InquiryView>> inquiries(@PathVariable long id,
                                                     @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        return DataResponse.of(chains.inquiries(id, actor).stream().map(Inquiry::toView).toList());
    }

    @PostMapping("/{id}/cancel")
    @Operation(summary = "Cancel an execution with everything still running under it",
            description = "Admins and the identity that started it. Pending inquiries of the chain are cancelled, "
                    + "waiting and running task runs become cancelled, and so does the execution.")
    @ApiResponse(responseCode = "200", description = "the execution, cancelled")
    @ApiResponse(responseCode = "403", description = "neither an admin nor the requester")
    @ApiResponse(responseCode = "404", description = "no such execution, or not yours to read")
    @ApiResponse(responseCode = "409", description = "the execution has already ended")
    public DataResponse<ExecutionView> cancel(
            @PathVariable long id,
            @RequestHeader(name = InquiryController.CORRELATION_HEADER, required = false) UUID correlationId,
            @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        return DataResponse.of(results.view(cancellation.cancel(id, actor, correlationId == null ? UUID.randomUUID()
                : correlationId)));
    }
}
