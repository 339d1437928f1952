package io.attune.core.execution;

import tools.jackson.databind.JsonNode;

/**
 * How an execution's result is shown beyond the executor (in ExecutionStatusChanged events, the API): an answer it
 * holds, with the inquiry's secrets masked. Implemented where answers are known ({@code inquiry.ResultMask}), so that
 * executions need not know inquiries.
 */
public interface ResultMasking {

    /** {@code result} as shown beyond the executor; {@code result} itself when nothing in it is secret. */
    JsonNode shown(JsonNode result);
}
