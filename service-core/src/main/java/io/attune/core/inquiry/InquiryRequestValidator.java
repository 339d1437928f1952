package io.attune.core.inquiry;

import io.attune.core.identity.IdentityRepository;
import io.attune.core.secret.SecretMask;
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.rest.ApiError.ErrorDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks an action's {@code __inquiry} before anything is created: prompt a non-empty string of at most
 * {@link InquiryLimits#PROMPT_MAX_BYTES} bytes, response_schema a valid JSON Schema that can be evaluated safely
 * ({@link JsonSchemas#problemsWith}), assigned_to an existing identity, timeout_seconds a positive integer,
 * allow_self_approval a boolean.
 */
@Component
public class InquiryRequestValidator {
    /** Ten years: longer is a mistake, and it keeps {@code now() + timeout} far from overflow. */
    static final long MAX_TIMEOUT_SECONDS = 10L * 366 * 24 * 3600;

    private final JsonSchemas schemas;
    private final IdentityRepository identities;

    public InquiryRequestValidator(JsonSchemas schemas, IdentityRepository identities) {
        this.schemas = schemas;
        this.identities = identities;
    }

    /** The request, or every reason it is invalid (paths are JSON pointers into {@code __inquiry}). */
    public Result validate(JsonNode inquiry) {
        List<ErrorDetail> problems = new ArrayList<>();
        if (inquiry == null || !inquiry.isObject()) {
            return Result.invalid(List.of(new ErrorDetail("", "__inquiry must be a JSON object")));
        }
        JsonNode prompt = inquiry.get("prompt");
        if (prompt == null || !prompt.isString() || prompt.asString().isBlank()) {
            problems.add(new ErrorDetail("/prompt", "prompt is required and must be a non-empty string"));
        } else if (utf8Length(prompt.asString()) > InquiryLimits.PROMPT_MAX_BYTES) {
            problems.add(new ErrorDetail("/prompt", "prompt is " + utf8Length(prompt.asString())
                    + " bytes; at most " + InquiryLimits.PROMPT_MAX_BYTES + " are allowed"));
        }
        JsonNode schema = inquiry.get("response_schema");
        if (schema != null && !schema.isNull()) {
            for (ErrorDetail problem : schemas.problemsWith(schema)) {
                problems.add(new ErrorDetail("/response_schema" + problem.path(),
                        "response_schema is not a valid JSON Schema: " + problem.message()));
            }
            for (ErrorDetail problem : SecretMask.problemsWith(schema)) {
                problems.add(new ErrorDetail("/response_schema" + problem.path(), problem.message()));
            }
        }
        Long assignedTo = null;
        JsonNode assignee = inquiry.get("assigned_to");
        if (assignee != null && !assignee.isNull()) {
            if (!assignee.isIntegralNumber() || !assignee.canConvertToLong()) {
                problems.add(new ErrorDetail("/assigned_to", "assigned_to must be an identity id (an integer)"));
            } else if (!identities.exists(assignee.asLong())) {
                problems.add(new ErrorDetail("/assigned_to", "assigned_to " + assignee.asLong()
                        + " is not an existing identity"));
            } else {
                assignedTo = assignee.asLong();
            }
        }
        Long timeoutSeconds = null;
        JsonNode timeout = inquiry.get("timeout_seconds");
        if (timeout != null && !timeout.isNull()) {
            if (!timeout.isIntegralNumber() || !timeout.canConvertToLong() || timeout.asLong() <= 0) {
                problems.add(new ErrorDetail("/timeout_seconds", "timeout_seconds must be a positive integer, not "
                        + timeout));
            } else if (timeout.asLong() > MAX_TIMEOUT_SECONDS) {
                problems.add(new ErrorDetail("/timeout_seconds", "timeout_seconds must be at most "
                        + MAX_TIMEOUT_SECONDS));
            } else {
                timeoutSeconds = timeout.asLong();
            }
        }
        boolean allowSelfApproval = false;
        JsonNode selfApproval = inquiry.get("allow_self_approval");
        if (selfApproval != null && !selfApproval.isNull()) {
            if (!selfApproval.isBoolean()) {
                problems.add(new ErrorDetail("/allow_self_approval", "allow_self_approval must be true or false, not "
                        + selfApproval));
            } else {
                allowSelfApproval = selfApproval.booleanValue();
            }
        }
        if (!problems.isEmpty()) {
            return Result.invalid(problems);
        }
        return Result.valid(new InquiryRequest(prompt.asString(), schema == null || schema.isNull() ? null : schema,
                assignedTo, timeoutSeconds, allowSelfApproval));
    }

    private static int utf8Length(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    public record Result(InquiryRequest request, List<ErrorDetail> problems) {
        static Result valid(InquiryRequest request) {
            return new Result(request, List.of());
        }

        static Result invalid(List<ErrorDetail> problems) {
            return new Result(null, List.copyOf(problems));
        }

        public boolean isValid() {
            return problems.isEmpty();
        }

        /** One sentence naming every problem, for the failed execution's result. */
        public String summary() {
            return "invalid __inquiry: " + String.join("; ", problems.stream().map(ErrorDetail::message).toList());
        }
    }
}
