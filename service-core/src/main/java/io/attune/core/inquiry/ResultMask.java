package io.attune.core.inquiry;

import io.attune.core.execution.Execution;
import io.attune.core.execution.ResultMasking;
import io.attune.core.secret.SecretMask;
import io.attune.model.rest.ApiError.ErrorDetail;
import io.attune.model.rest.ExecutionView;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * An execution's result as everyone but the executor sees it (the API, ExecutionStatusChanged events): once an
 * inquiry is answered its answer sits in {@code result.__inquiry.response} — in clear in the database, because the
 * execution receives it — and is shown with the inquiry's secrets masked ({@link SecretMask}).
 */
@Component
public class ResultMask implements ResultMasking {
    static final String INQUIRY = "__inquiry";

    private final InquiryRepository inquiries;

    public ResultMask(InquiryRepository inquiries) {
        this.inquiries = inquiries;
    }

    /** The execution as the API shows it. */
    public ExecutionView view(Execution execution) {
        return execution.toView(shown(execution.result()));
    }

    /**
     * {@code result} with the answer under {@code __inquiry} masked by its inquiry's schema; {@code result} itself
     * when it holds no answer or the schema no secret. An answer whose inquiry cannot be found is hidden whole.
     */
    @Override
    public JsonNode shown(JsonNode result) {
        return shown(result, inquiries::responseSchema);
    }

    /**
     * {@link #shown} for a caller that holds its inquiries already: the schemas of {@code inquiries} are taken from
     * them (a response_schema never changes), any other read as {@link #shown} reads it.
     */
    public ResultMasking knowing(Collection<Inquiry> known) {
        Map<Long, JsonNode> schemas = new HashMap<>();
        known.forEach(inquiry -> schemas.put(inquiry.id(), inquiry.responseSchema() == null
                ? NullNode.getInstance() : inquiry.responseSchema()));
        return result -> shown(result, id -> schemas.containsKey(id)
                ? Optional.of(schemas.get(id)) : inquiries.responseSchema(id));
    }

    private JsonNode shown(JsonNode result, Function<Long, Optional<JsonNode>> schemaOf) {
        JsonNode outcome = result == null ? null : result.get(INQUIRY);
        if (outcome == null || !outcome.isObject() || !holdsAnswers(outcome)) {
            return result;
        }
        JsonNode schema = outcome.path("id").canConvertToLong()
                ? schemaOf.apply(outcome.get("id").asLong()).orElse(null) : null;
        JsonNode masked = maskAnswers(schema, outcome);
        if (masked == outcome) {
            return result;
        }
        ObjectNode copy = (ObjectNode) result.deepCopy();
        copy.set(INQUIRY, masked);
        return copy;
    }

    private static boolean holdsAnswers(JsonNode holder) {
        return (holder.has("response") && !holder.get("response").isNull()) || holder.path("responses").isArray();
    }

    /**
     * {@code holder} with its {@code response} and each {@code responses[].response} masked by {@code schema}
     * (every answer hidden whole when the schema is unknown); {@code holder} itself when nothing changes.
     */
    private static JsonNode maskAnswers(JsonNode schema, JsonNode holder) {
        ObjectNode copy = null;
        JsonNode answer = holder.get("response");
        if (answer != null && !answer.isNull()) {
            JsonNode masked = schema == null ? StringNode.valueOf(SecretMask.MASK) : SecretMask.mask(schema, answer);
            if (masked != answer) {
                copy = ((ObjectNode) holder).deepCopy();
                copy.set("response", masked);
            }
        }
        JsonNode answers = holder.get("responses");
        if (answers != null && answers.isArray()) {
            for (int i = 0; i < answers.size(); i++) {
                JsonNode one = answers.get(i).get("response");
                if (one == null || one.isNull()) {
                    continue;
                }
                JsonNode masked = schema == null ? StringNode.valueOf(SecretMask.MASK) : SecretMask.mask(schema, one);
                if (masked != one) {
                    if (copy == null) {
                        copy = ((ObjectNode) holder).deepCopy();
                    }
                    ((ObjectNode) copy.get("responses").get(i)).set("response", masked);
                }
            }
        }
        return copy == null ? holder : copy;
    }

    /**
     * A workflow task run's {@code {status, result}} as shown in the workflow's result (and so in the API and its
     * events): an action's {@code __inquiry} answer as {@link #shown}, and an inquiry task's {@code result.response}
     * masked by the schema of the run's latest inquiry. The engine keeps the real value for its own {@code when} and
     * {@code ${...}} (docs/workflows.md).
     */
    public JsonNode shownTaskRun(long taskExecution, JsonNode taskRun) {
        JsonNode result = taskRun == null ? null : taskRun.get("result");
        if (result == null || !result.isObject()) {
            return taskRun;
        }
        JsonNode shownResult;
        if (result.has(INQUIRY)) {
            shownResult = shown(result);
        } else if (holdsAnswers(result)) {
            List<Inquiry> asked = inquiries.ofChain(taskExecution);
            if (asked.isEmpty()) {
                return taskRun; // an action's own result: shown as given
            }
            shownResult = maskAnswers(asked.get(asked.size() - 1).responseSchema(), result);
        } else {
            return taskRun;
        }
        if (shownResult == result) {
            return taskRun;
        }
        ObjectNode copy = (ObjectNode) taskRun.deepCopy();
        copy.set("result", shownResult);
        return copy;
    }

    /**
     * {@code text} — a message about the values of an execution chain, such as a workflow expression's evaluation
     * error, which may quote what it read — with the text of every secret answered in the chain replaced by
     * {@link SecretMask#MASK}.
     */
    public String scrubbed(long chainRoot, String text) {
        if (text == null) {
            return null;
        }
        String scrubbed = text;
        for (Inquiry inquiry : inquiries.ofChain(chainRoot)) {
            if (inquiry.response() != null) {
                scrubbed = SecretMask.maskDetails(inquiry.responseSchema(), inquiry.response(),
                        List.of(new ErrorDetail("", scrubbed))).get(0).message();
            }
        }
        return scrubbed;
    }
}
