package io.attune.model.audit;

import java.util.List;

/**
 * A page of the audit trail, oldest first: {@code {"data": […], "next_after"}}; ask for the next page with
 * {@code ?after=<next_after>}. {@code next_after} is null on the last page.
 */
public record AuditPage(List<AuditEntry> data, Long nextAfter) {
}
