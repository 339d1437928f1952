package io.attune.model.inquiry;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.JsonNode;

/**
 * The {@code __inquiry} an action puts in its result to ask a person for input (seed: "Inquiry Request Format").
 * Only {@code prompt} is required; the completion listener validates the rest before an inquiry is created.
 * {@code allow_self_approval} (default false) lets the identity that requested the execution answer it.
 */
public record InquiryRequest(String prompt, JsonNode responseSchema, Long assignedTo, Long timeoutSeconds,
                             // written only when true: the default is what an action that never heard of it means
                             @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean allowSelfApproval) {

    public InquiryRequest(String prompt, JsonNode responseSchema, Long assignedTo, Long timeoutSeconds) {
        this(prompt, responseSchema, assignedTo, timeoutSeconds, false);
    }

    /** The key of an action result that marks an inquiry request. */
    public static final String KEY = "__inquiry";
}
