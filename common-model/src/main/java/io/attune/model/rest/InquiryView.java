package io.attune.model.rest;

import io.attune.model.inquiry.Assignment;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.attune.model.InquiryStatus;
import io.attune.model.inquiry.InquiryOutcome;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * An inquiry in full (the seed's detail, plus {@code responded_by}); {@code workflow} only when its execution is a
 * task run of a workflow (docs/workflows.md), absent otherwise. The policies (docs/policies.md):
 * {@code approvals_required}, {@code decision_field}, {@code responses} (every answer kept, oldest first: one for an
 * inquiry decided by one answer, each approval so far with a quorum), {@code defaulted} (timed out and went on with
 * {@code on_timeout}), {@code on_timeout} and {@code remind_every_seconds} when set.
 */
public record InquiryView(long id, long execution, String prompt, JsonNode responseSchema, Assignment assignedTo,
                          InquiryStatus status, JsonNode response, Long respondedBy, Instant timeoutAt,
                          Instant respondedAt, Instant created, Instant updated,
                          @JsonInclude(JsonInclude.Include.NON_NULL) InquiryWorkflow workflow,
                          int approvalsRequired,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String decisionField,
                          List<InquiryOutcome.Answer> responses,
                          boolean defaulted,
                          @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode onTimeout,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Integer remindEverySeconds) {

    public InquiryView(long id, long execution, String prompt, JsonNode responseSchema, Assignment assignedTo,
                       InquiryStatus status, JsonNode response, Long respondedBy, Instant timeoutAt,
                       Instant respondedAt, Instant created, Instant updated, InquiryWorkflow workflow) {
        this(id, execution, prompt, responseSchema, assignedTo, status, response, respondedBy, timeoutAt, respondedAt,
                created, updated, workflow, 1, null, List.of(), false, null, null);
    }

    /** The same inquiry, named as waiting in {@code workflow}. */
    public InquiryView inWorkflow(InquiryWorkflow workflow) {
        return new InquiryView(id, execution, prompt, responseSchema, assignedTo, status, response, respondedBy,
                timeoutAt, respondedAt, created, updated, workflow, approvalsRequired, decisionField, responses,
                defaulted, onTimeout, remindEverySeconds);
    }
}
