package io.attune.model.audit;

/**
 * What a verification of the chain found: how many {@code entries} it read, the {@code head} (the hash of the last
 * entry, which anyone holding it can compare later), whether every link holds, and {@code first_broken}, the id of
 * the first entry whose hash or link does not hold (null when valid).
 */
public record AuditVerification(long entries, String head, boolean valid, Long firstBroken) {
}
