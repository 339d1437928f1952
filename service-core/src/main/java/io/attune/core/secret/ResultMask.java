package io.attune.core.secret;

import io.attune.core.execution.Execution;
import io.attune.core.inquiry.InquiryRepository;
import io.attune.model.rest.ExecutionView;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * An execution's result as everyone but the executor sees it (the API, ExecutionStatusChanged events): once an
 * inquiry is answered its answer sits in {@code result.__inquiry.response} — in clear in the database, because the
 * execution receives it — and is shown with the inquiry's secrets masked ({@link SecretMask}).
 */
@Component
public class ResultMask {
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
    public JsonNode shown(JsonNode result) {
        JsonNode outcome = result == null ? null : result.get(INQUIRY);
        if (outcome == null || !outcome.isObject() || !outcome.has("response") || outcome.get("response").isNull()) {
            return result;
        }
        JsonNode answer = outcome.get("response");
        JsonNode masked = outcome.path("id").canConvertToLong()
                ? inquiries.responseSchema(outcome.get("id").asLong())
                        .map(schema -> SecretMask.mask(schema, answer))
                        .orElse(StringNode.valueOf(SecretMask.MASK))
                : StringNode.valueOf(SecretMask.MASK);
        if (masked == answer) {
            return result;
        }
        ObjectNode copy = (ObjectNode) result.deepCopy();
        ((ObjectNode) copy.get(INQUIRY)).set("response", masked);
        return copy;
    }
}
