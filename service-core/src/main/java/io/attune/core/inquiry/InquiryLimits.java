package io.attune.core.inquiry;

import io.attune.core.schema.LinearPatterns;

/**
 * The sizes an inquiry's parts may have (docs/limits.md). Each bounds what one action's output or one person's answer
 * can cost the services: memory, database rows, and the work of checking an answer against a schema.
 */
public final class InquiryLimits {
    /** A prompt, in UTF-8 bytes. */
    public static final int PROMPT_MAX_BYTES = 4 * 1024;
    /** A response_schema, in UTF-8 bytes of its compact JSON. */
    public static final int SCHEMA_MAX_BYTES = 64 * 1024;
    /** How deeply a response_schema's JSON may nest (objects and arrays). */
    public static final int SCHEMA_MAX_DEPTH = 32;
    /** An answer, in UTF-8 bytes of its compact JSON. */
    public static final int ANSWER_MAX_BYTES = 64 * 1024;
    /** Values of one {@code enum}: each is compared with every value it checks. */
    public static final int ENUM_MAX_VALUES = 1_000;
    /** A {@code pattern} (or patternProperties key), in characters. */
    public static final int PATTERN_MAX_LENGTH = LinearPatterns.MAX_LENGTH;
    /** Checking one answer: nested evaluations (schemas applied within schemas) at most. */
    public static final int EVALUATION_MAX_DEPTH = 512;
    /** Checking one answer: keyword evaluations at most. */
    public static final long EVALUATION_MAX_STEPS = 1_000_000;

    private InquiryLimits() {
    }
}
