package io.attune.model.inquiry;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.JsonNode;

import java.util.List;

/**
 * The {@code __inquiry} an action puts in its result to ask a person for input (seed: "Inquiry Request Format").
 * Only {@code prompt} is required; the completion listener validates the rest before an inquiry is created.
 * {@code assigned_to} is an {@link Assignment} (a user id, a user, a group or a list of them); {@code escalation}
 * the reassignments that follow while nobody answers, in order of {@code after_seconds}.
 * {@code allow_self_approval} (default false) lets the identity that requested the execution answer it.
 * The policies (docs/policies.md): {@code approvals_required} (default 1) and {@code decision_field} (a JSON pointer
 * to a boolean of the answer) make a quorum, {@code on_timeout} {@code {"response": {…}}} is the answer the
 * execution goes on with when nobody decided in time, {@code remind_every_seconds} (≥ 60) reminds while pending.
 * A {@code template} with {@code vars} is expanded before any of this is read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InquiryRequest(String prompt, JsonNode responseSchema, Assignment assignedTo, Long timeoutSeconds,
                             // written only when true: the default is what an action that never heard of it means
                             @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean allowSelfApproval,
                             @JsonInclude(JsonInclude.Include.NON_EMPTY) List<EscalationStep> escalation,
                             Integer approvalsRequired, String decisionField, JsonNode onTimeout,
                             Long remindEverySeconds) {

    public InquiryRequest {
        escalation = escalation == null ? List.of() : List.copyOf(escalation);
    }

    public InquiryRequest(String prompt, JsonNode responseSchema, Long assignedTo, Long timeoutSeconds,
                          boolean allowSelfApproval) {
        this(prompt, responseSchema, assignedTo == null ? null : Assignment.ofUser(assignedTo), timeoutSeconds,
                allowSelfApproval, List.of(), null, null, null, null);
    }

    public InquiryRequest(String prompt, JsonNode responseSchema, Long assignedTo, Long timeoutSeconds) {
        this(prompt, responseSchema, assignedTo, timeoutSeconds, false);
    }

    /** How many distinct people must answer; 1 unless set. */
    public int approvals() {
        return approvalsRequired == null ? 1 : approvalsRequired;
    }

    /** The key of an action result that marks an inquiry request. */
    public static final String KEY = "__inquiry";
}
