package io.attune.bench;

import io.attune.model.ExecutionStatus;
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionCompleted;
import io.attune.model.message.MessageEnvelope;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * The data every figure uses: a deployment approval like the seed's, with the wire shapes of common-model. The
 * pgbench script ({@code completion-listener.pgbench.sql}) holds the same JSON as literals; a test keeps them equal.
 */
public final class Workload {
    public static final String ACTION_REF = "examples.deploy_approval";
    public static final String PROMPT = "Approve deployment of billing-api 2.5.0 to production?";
    public static final long TIMEOUT_SECONDS = 3600;
    /** The seed's deploy-approval schema. */
    public static final JsonNode SCHEMA = Json.tree("""
            {"type":"object","properties":{"approved":{"type":"boolean"},"comment":{"type":"string"}},\
            "required":["approved"]}""");
    /** What an action reports besides {@code __inquiry}: the context an approver reads. */
    private static final JsonNode DEPLOYMENT_PLAN = Json.tree("""
            {"service":"billing-api","version":"2.5.0","target":"production","replicas":6,\
            "changes":["migrate schema v41 to v42","rolling restart, 2 replicas at a time"]}""");

    private Workload() {
    }

    /** An execution's parameters. */
    public static String parameters() {
        return "{\"service\": \"billing-api\", \"version\": \"2.5.0\"}";
    }

    /** The {@code __inquiry} an action asks with. */
    public static InquiryRequest request() {
        return new InquiryRequest(PROMPT, SCHEMA, null, TIMEOUT_SECONDS);
    }

    /** The result of an action asking for approval: {@code __inquiry} and its deployment plan. */
    public static ObjectNode result() {
        ObjectNode result = Json.object();
        result.set(InquiryRequest.KEY, Json.mapper().valueToTree(request()));
        result.set("deployment_plan", DEPLOYMENT_PLAN.deepCopy());
        return result;
    }

    /** A worker's report that the execution finished and asks for approval. */
    public static MessageEnvelope<ExecutionCompleted> completed(long executionId) {
        return MessageEnvelope.of(new ExecutionCompleted(executionId, ACTION_REF, ExecutionStatus.COMPLETED, result(),
                Instant.now()), null, "attune-bench");
    }

    /** An answer the schema accepts. */
    public static JsonNode answer() {
        return Json.tree("{\"approved\": true, \"comment\": \"bench\"}");
    }

    /** SQL text literal of a JSON value: {@code '…'} with quotes doubled. */
    public static String literal(JsonNode json) {
        return "'" + Json.write(json).replace("'", "''") + "'";
    }
}
