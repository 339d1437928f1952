package io.attune.core.inquiry;

import io.attune.core.identity.GroupRepository;
import io.attune.core.identity.IdentityRepository;
import io.attune.core.secret.SecretMask;
import io.attune.model.inquiry.Assignment;
import io.attune.model.inquiry.EscalationStep;
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.rest.ApiError.ErrorDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks an action's {@code __inquiry} before anything is created: prompt a non-empty string of at most
 * {@link InquiryLimits#PROMPT_MAX_BYTES} bytes, response_schema a valid JSON Schema that can be evaluated safely
 * ({@link JsonSchemas#problemsWith}), assigned_to an {@link Assignment} naming existing identities and groups,
 * escalation steps with increasing after_seconds, timeout_seconds a positive integer, allow_self_approval a boolean.
 */
@Component
public class InquiryRequestValidator {
    /** Ten years: longer is a mistake, and it keeps {@code now() + timeout} far from overflow. */
    static final long MAX_TIMEOUT_SECONDS = 10L * 366 * 24 * 3600;

    /** The least period of reminders: more often is noise (docs/policies.md#reminders). */
    public static final long MIN_REMIND_EVERY_SECONDS = 60;
    /** More approvals than this is a mistake, not a policy. */
    static final int MAX_APPROVALS = 100;

    private final JsonSchemas schemas;
    /** Escalation steps an inquiry may have: a chain of people, not a schedule. */
    static final int MAX_ESCALATION_STEPS = 10;

    private final IdentityRepository identities;
    private final GroupRepository groups;
    private final InquiryTemplates templates;

    public InquiryRequestValidator(JsonSchemas schemas, IdentityRepository identities, GroupRepository groups,
                                   InquiryTemplates templates) {
        this.schemas = schemas;
        this.identities = identities;
        this.groups = groups;
        this.templates = templates;
    }

    /**
     * The request, or every reason it is invalid (paths are JSON pointers into {@code __inquiry}). A
     * {@code template} is expanded first ({@link InquiryTemplates}); a missing template or variable is a reason.
     */
    public Result validate(JsonNode asked) {
        List<ErrorDetail> problems = new ArrayList<>();
        if (asked == null || !asked.isObject()) {
            return Result.invalid(List.of(new ErrorDetail("", "__inquiry must be a JSON object")));
        }
        InquiryTemplates.Expansion expansion = templates.expand(asked);
        if (!expansion.isValid()) {
            return Result.invalid(expansion.problems());
        }
        JsonNode inquiry = expansion.inquiry();
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
        Assignment assignedTo = assignment(inquiry.get("assigned_to"), "/assigned_to", problems);
        List<EscalationStep> escalation = escalation(inquiry.get("escalation"), problems);
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
        Policies policies = policies(inquiry, schema, assignedTo, problems);
        if (!problems.isEmpty()) {
            return Result.invalid(problems);
        }
        return Result.valid(new InquiryRequest(prompt.asString(), schema == null || schema.isNull() ? null : schema,
                assignedTo, timeoutSeconds, allowSelfApproval, escalation, policies.approvalsRequired, policies.decisionField,
                policies.onTimeout, policies.remindEverySeconds));
    }

    /**
     * An {@code assigned_to} (or an escalation's {@code assign_to}): its shape ({@link Assignment#parse}), and every
     * user and group it names must exist now — a typo would leave an inquiry that nobody can answer.
     */
    private Assignment assignment(JsonNode given, String path, List<ErrorDetail> problems) {
        if (given == null || given.isNull()) {
            return null;
        }
        List<String> shape = new ArrayList<>();
        Assignment assignment = Assignment.parse(given, shape);
        shape.forEach(p -> problems.add(new ErrorDetail(path, p)));
        if (assignment == null) {
            return null;
        }
        boolean known = true;
        for (Long user : assignment.users()) {
            if (!identities.exists(user)) {
                problems.add(new ErrorDetail(path, "assigned_to " + user + " is not an existing identity"));
                known = false;
            }
        }
        for (String group : groups.missing(assignment.groups())) {
            problems.add(new ErrorDetail(path, "assigned_to names group '" + group + "', which does not exist"));
            known = false;
        }
        return known ? assignment : null;
    }

    /** {@code escalation}: a list of at most {@value #MAX_ESCALATION_STEPS} steps, after_seconds increasing. */
    private List<EscalationStep> escalation(JsonNode given, List<ErrorDetail> problems) {
        if (given == null || given.isNull()) {
            return List.of();
        }
        if (!given.isArray() || given.isEmpty() || given.size() > MAX_ESCALATION_STEPS) {
            problems.add(new ErrorDetail("/escalation", "escalation must be a list of 1 to " + MAX_ESCALATION_STEPS
                    + " steps {\"after_seconds\": N, \"assign_to\": ...}"));
            return List.of();
        }
        List<EscalationStep> steps = new ArrayList<>();
        long previous = 0;
        for (int i = 0; i < given.size(); i++) {
            JsonNode step = given.get(i);
            String path = "/escalation/" + i;
            if (!step.isObject()) {
                problems.add(new ErrorDetail(path, "an escalation step must be {\"after_seconds\": N, \"assign_to\": ...}"));
                continue;
            }
            for (String key : step.propertyNames()) {
                if (!key.equals("after_seconds") && !key.equals("assign_to")) {
                    problems.add(new ErrorDetail(path + "/" + key, "an escalation step has no field '" + key + "'"));
                }
            }
            JsonNode after = step.get("after_seconds");
            long seconds = 0;
            if (after == null || !after.isIntegralNumber() || !after.canConvertToLong() || after.asLong() <= 0
                    || after.asLong() > MAX_TIMEOUT_SECONDS) {
                problems.add(new ErrorDetail(path + "/after_seconds", "after_seconds must be a positive integer"));
            } else if (after.asLong() <= previous) {
                problems.add(new ErrorDetail(path + "/after_seconds", "after_seconds must be greater than the "
                        + "previous step's (" + previous + ")"));
            } else {
                seconds = after.asLong();
                previous = seconds;
            }
            JsonNode assignTo = step.get("assign_to");
            if (assignTo == null || assignTo.isNull()) {
                problems.add(new ErrorDetail(path + "/assign_to", "assign_to is required (as assigned_to is written)"));
                continue;
            }
            Assignment assignment = assignment(assignTo, path + "/assign_to", problems);
            if (assignment != null && seconds > 0) {
                steps.add(new EscalationStep(seconds, assignment));
            }
        }
        return steps;
    }

    private record Policies(Integer approvalsRequired, String decisionField, JsonNode onTimeout,
                            Long remindEverySeconds) {
    }

    /** approvals_required, decision_field, on_timeout and remind_every_seconds (docs/policies.md). */
    private Policies policies(JsonNode inquiry, JsonNode schema, Assignment assignedTo,
                              List<ErrorDetail> problems) {
        boolean schemaValid = problems.stream().noneMatch(p -> p.path().startsWith("/response_schema"));
        JsonNode usableSchema = schema == null || schema.isNull() ? null : schema;
        Integer approvalsRequired = null;
        JsonNode approvals = inquiry.get("approvals_required");
        if (approvals != null && !approvals.isNull()) {
            if (!approvals.isIntegralNumber() || !approvals.canConvertToInt() || approvals.asInt() < 1
                    || approvals.asInt() > MAX_APPROVALS) {
                problems.add(new ErrorDetail("/approvals_required", "approvals_required must be an integer from 1 to "
                        + MAX_APPROVALS + ", not " + approvals));
            } else {
                approvalsRequired = approvals.asInt();
                if (assignedTo != null && assignedTo.singleUser() != null && approvalsRequired > 1) {
                    problems.add(new ErrorDetail("/approvals_required", "approvals_required is " + approvalsRequired
                            + " but only one identity (assigned_to " + assignedTo.singleUser() + ") may answer"));
                }
            }
        }
        String decisionField = null;
        JsonNode decision = inquiry.get("decision_field");
        if (decision != null && !decision.isNull()) {
            if (!decision.isString() || !decision.asString().matches("(/[^/]*)+")) {
                problems.add(new ErrorDetail("/decision_field", "decision_field must be a JSON pointer such as "
                        + "\"/approved\", not " + decision));
            } else if (usableSchema == null || !isBooleanProperty(usableSchema, decision.asString())) {
                problems.add(new ErrorDetail("/decision_field", "decision_field " + decision.asString()
                        + " must point at a property of response_schema with \"type\": \"boolean\""));
            } else {
                decisionField = decision.asString();
            }
        }
        JsonNode onTimeout = null;
        JsonNode fallback = inquiry.get("on_timeout");
        if (fallback != null && !fallback.isNull()) {
            JsonNode answer = fallback.get("response");
            if (!fallback.isObject() || answer == null || !answer.isObject() || fallback.size() != 1) {
                problems.add(new ErrorDetail("/on_timeout", "on_timeout must be {\"response\": {...}}: the answer "
                        + "the execution goes on with at the timeout"));
            } else if (schemaValid) {
                List<ErrorDetail> violations = usableSchema == null ? List.of()
                        : schemas.validate(usableSchema, answer);
                for (ErrorDetail violation : SecretMask.maskDetails(usableSchema, answer, violations)) {
                    problems.add(new ErrorDetail("/on_timeout/response" + violation.path(),
                            "on_timeout's response does not match response_schema: " + violation.message()));
                }
                if (violations.isEmpty()) {
                    onTimeout = fallback;
                }
            }
        }
        Long remindEvery = null;
        JsonNode remind = inquiry.get("remind_every_seconds");
        if (remind != null && !remind.isNull()) {
            if (!remind.isIntegralNumber() || !remind.canConvertToLong() || remind.asLong() < MIN_REMIND_EVERY_SECONDS
                    || remind.asLong() > MAX_TIMEOUT_SECONDS) {
                problems.add(new ErrorDetail("/remind_every_seconds", "remind_every_seconds must be an integer of at "
                        + "least " + MIN_REMIND_EVERY_SECONDS + ", not " + remind));
            } else {
                remindEvery = remind.asLong();
            }
        }
        return new Policies(approvalsRequired, decisionField, onTimeout, remindEvery);
    }

    /** Whether {@code pointer} names, through {@code properties}, a schema of {@code "type": "boolean"}. */
    static boolean isBooleanProperty(JsonNode schema, String pointer) {
        JsonNode at = schema;
        for (String step : InquiryRepository.pathOf(pointer)) {
            at = at.path("properties").path(step);
        }
        return "boolean".equals(at.path("type").asString(null));
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
