package io.attune.model.message;

/** A payload of docs/protocol.md §2; each one knows its message type (and so its routing key). */
public sealed interface MessagePayload
        permits ExecutionRequested, ExecutionCompleted, ExecutionStatusChanged,
        InquiryCreated, InquiryResponded, InquiryTimedOut, InquiryCancelled, InquiryEscalated, InquiryUpdated,
        InquiryReminder {

    MessageType messageType();

    /** The execution this message is about; every payload has one. */
    long executionId();
}
