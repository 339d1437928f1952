package io.attune.api.audit;

import io.attune.core.audit.AuditLog;
import io.attune.core.error.DomainException;
import io.attune.core.identity.Actor;
import io.attune.model.audit.AuditEntry;
import io.attune.model.audit.AuditPage;
import io.attune.model.audit.AuditVerification;
import io.attune.model.rest.ApiError.ErrorDetail;
import io.attune.model.rest.DataResponse;
import io.attune.model.rest.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The suite's tamper-evident audit trail (docs/audit.md), for admins. */
@RestController
@RequestMapping("/api/v1/audit")
@Tag(name = "audit")
public class AuditController {
    static final String JSON_LINES = "application/jsonl";

    private final AuditLog log;

    public AuditController(AuditLog log) {
        this.log = log;
    }

    @GetMapping
    @Operation(summary = "Page through the audit trail, oldest first (admin only)",
            description = "Entries with an id above `after`; the next page starts after `next_after`.")
    @ApiResponse(responseCode = "200", description = "{\"data\": [entries], \"next_after\"}")
    @ApiResponse(responseCode = "400", description = "after below 0, or per_page below 1")
    @ApiResponse(responseCode = "403", description = "the caller is not an admin")
    public AuditPage page(
            @Parameter(description = "the id of the last entry already read; 0 for the start")
            @RequestParam(defaultValue = "0") long after,
            @Parameter(description = "page size, 1 to " + AuditLog.MAX_PAGE + " (larger is clamped)")
            @RequestParam(name = "per_page", defaultValue = "" + AuditLog.DEFAULT_PAGE) int perPage,
            @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        requireAdmin(actor);
        if (after < 0) {
            throw invalid("after", "must be 0 or more, not " + after);
        }
        if (perPage < 1) {
            throw invalid("per_page", "must be at least 1, not " + perPage);
        }
        int limit = Math.min(perPage, AuditLog.MAX_PAGE);
        List<AuditEntry> entries = log.page(after, limit);
        Long next = entries.size() < limit ? null : entries.get(entries.size() - 1).id();
        return new AuditPage(entries, next);
    }

    @GetMapping("/verify")
    @Operation(summary = "Recompute the whole chain (admin only)",
            description = "valid is false when an entry was edited, deleted, reordered or slipped in; first_broken is "
                    + "the id of the first entry whose hash or link does not hold.")
    @ApiResponse(responseCode = "200", description = "{\"data\": {\"entries\", \"head\", \"valid\", \"first_broken\"}}")
    @ApiResponse(responseCode = "403", description = "the caller is not an admin")
    public DataResponse<AuditVerification> verify(@Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        requireAdmin(actor);
        return DataResponse.of(log.verify());
    }

    @GetMapping("/export")
    @Operation(summary = "The chain as JSON Lines, streamed (admin only)",
            description = "One canonical JSON entry per line, in chain order; check it offline with the command in "
                    + "docs/audit.md.")
    @ApiResponse(responseCode = "200", description = "application/jsonl")
    @ApiResponse(responseCode = "403", description = "the caller is not an admin")
    public void export(@Parameter(hidden = true) @AuthenticationPrincipal Actor actor, HttpServletResponse response)
            throws IOException {
        requireAdmin(actor);
        response.setContentType(JSON_LINES + ";charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"attune-audit-"
                + Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(":", "") + ".jsonl\"");
        log.export(response.getOutputStream());
    }

    static void requireAdmin(Actor actor) {
        if (!actor.isAdmin()) {
            throw DomainException.forbidden("only an admin may read the audit trail and the insights");
        }
    }

    private static DomainException invalid(String name, String why) {
        return new DomainException(ErrorCode.BAD_REQUEST, "invalid parameter: " + name + " " + why,
                List.of(new ErrorDetail(name, why)));
    }
}
