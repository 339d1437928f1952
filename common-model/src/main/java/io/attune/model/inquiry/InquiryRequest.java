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
 */
public record InquiryRequest(String prompt, JsonNode responseSchema, Assignment assignedTo, Long timeoutSeconds,
                             // written only when true: the default is what an action that never heard of it means
                             @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean allowSelfApproval,
                             @JsonInclude(JsonInclude.Include.NON_EMPTY) List<EscalationStep> escalation) {

    public InquiryRequest {
        escalation = escalation == null ? List.of() : List.copyOf(escalation);
    }

    public InquiryRequest(String prompt, JsonNode responseSchema, Long assignedTo, Long timeoutSeconds) {
        this(prompt, responseSchema, assignedTo, timeoutSeconds, false);
    }

    public InquiryRequest(String prompt, JsonNode responseSchema, Long assignedTo, Long timeoutSeconds,
                          boolean allowSelfApproval) {
        this(prompt, responseSchema, assignedTo == null ? null : Assignment.ofUser(assignedTo), timeoutSeconds,
                allowSelfApproval, List.of());
    }

    /** The key of an action result that marks an inquiry request. */
    public static final String KEY = "__inquiry";
}
