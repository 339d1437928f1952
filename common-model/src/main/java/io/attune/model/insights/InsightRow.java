package io.attune.model.insights;

/**
 * The figures of one key (an assignee's login, a group's name, an action ref, or a day) over a period, for the
 * inquiries created in it: how many, how they ended, and how long a person took to answer (median and 90th
 * percentile, in seconds; null when none was answered). Definitions in docs/audit.md.
 */
public record InsightRow(String key, long inquiries, long answered, long timedOut, long cancelled, long defaulted,
                         long escalated, Double decisionP50Seconds, Double decisionP90Seconds) {
}
