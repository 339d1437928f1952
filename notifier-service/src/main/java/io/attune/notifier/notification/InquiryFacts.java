package io.attune.notifier.notification;

import io.attune.model.inquiry.Assignment;

/**
 * What every notification says about its inquiry but only InquiryCreated carries: execution and prompt never change;
 * the assignment changes only by escalation, whose event carries the new one (and updates the cache).
 */
public record InquiryFacts(long execution, String prompt, Assignment assignment) {

    public InquiryFacts reassigned(Assignment to) {
        return new InquiryFacts(execution, prompt, to);
    }
}
