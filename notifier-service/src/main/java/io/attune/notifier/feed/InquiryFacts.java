package io.attune.notifier.feed;

/**
 * What every notification says about its inquiry but only InquiryCreated carries: these never change after the
 * inquiry is created, so they can be cached.
 */
public record InquiryFacts(long execution, String prompt, Long assignedTo) {
}
