package io.attune.cli.inquiry;

import io.attune.cli.client.ApiClient;
import io.attune.cli.client.Refused;
import io.attune.model.json.Json;
import io.attune.model.rest.InquiryView;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One inquiry with what a person needs to decide: the inquiry, its execution (whose result, without
 * {@code __inquiry}, is the context the action reported) and its history.
 */
record InquiryDetails(JsonNode inquiry, JsonNode execution, JsonNode history) {

    static InquiryDetails fetch(ApiClient client, long id) {
        JsonNode inquiry = client.get("/api/v1/inquiries/" + id).path("data");
        JsonNode execution = null;
        try {
            execution = client.get("/api/v1/executions/" + inquiry.path("execution").asLong()).path("data");
        } catch (Refused refused) {
            if (refused.status() != 404 && refused.status() != 403) {
                throw refused;
            }
        }
        JsonNode history = client.getIfSupported("/api/v1/inquiries/" + id + "/history")
                .map(body -> body.path("data")).orElse(null);
        return new InquiryDetails(inquiry, execution, history);
    }

    InquiryView view() {
        return Json.convert(inquiry, InquiryView.class);
    }

    /** The execution's result without {@code __inquiry}; null when the execution could not be read. */
    JsonNode context() {
        if (execution == null || !execution.path("result").isObject()) {
            return execution == null ? null : execution.path("result");
        }
        ObjectNode context = (ObjectNode) execution.path("result").deepCopy();
        context.remove("__inquiry");
        return context;
    }

    ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.set("inquiry", inquiry);
        json.set("context", context());
        json.set("execution", execution);
        json.set("history", history);
        return json;
    }
}
