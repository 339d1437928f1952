package io.attune.api.execution;

import io.attune.api.inquiry.InquiryController;
import io.attune.core.execution.Execution;
import io.attune.core.execution.ExecutionTransitions;
import io.attune.core.identity.Actor;
import io.attune.core.secret.ResultMask;
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

import java.util.UUID;

@RestController
@RequestMapping("/api/v1/executions")
@Tag(name = "executions")
public class ExecutionController {
    private final ExecutionTransitions transitions;
    private final ResultMask results;

    public ExecutionController(ExecutionTransitions transitions, ResultMask results) {
        this.transitions = transitions;
        this.results = results;
    }

    @PostMapping
    @Operation(summary = "Request an execution of an action; a worker picks it up from ExecutionRequested")
    @ApiResponse(responseCode = "201", description = "the execution, status requested; Location names it")
    @ApiResponse(responseCode = "400", description = "action_ref is not '<pack>.<action>', or parameters is not an "
            + "object")
    public ResponseEntity<DataResponse<ExecutionView>> create(
            @RequestBody CreateExecutionRequest request,
            @RequestHeader(name = InquiryController.CORRELATION_HEADER, required = false) UUID correlationId,
            @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        Execution execution = transitions.request(request.actionRef(), request.parameters(), actor, correlationId);
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
        return DataResponse.of(results.view(transitions.visible(id, actor)));
    }
}
