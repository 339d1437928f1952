package io.attune.model.rest;

/**
 * The workflow an inquiry waits in (its execution is a task run of that workflow): the workflow execution's id and
 * the workflow's ref, so that a list can name it and link to it without a request per row.
 */
public record InquiryWorkflow(long execution, String ref) {
}
