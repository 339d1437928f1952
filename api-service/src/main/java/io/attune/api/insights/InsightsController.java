package io.attune.api.insights;

import io.attune.core.error.DomainException;
import io.attune.core.identity.Actor;
import io.attune.model.insights.InsightGrouping;
import io.attune.model.insights.InsightRow;
import io.attune.model.rest.ApiError.ErrorDetail;
import io.attune.model.rest.DataResponse;
import io.attune.model.rest.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** How decisions are made: counts and time to decision per assignee, group, action or day (admin only). */
@RestController
@RequestMapping("/api/v1/insights")
@Tag(name = "insights")
public class InsightsController {
    static final String CSV = "text/csv";
    static final Duration DEFAULT_PERIOD = Duration.ofDays(30);

    private final Insights insights;

    public InsightsController(Insights insights) {
        this.insights = insights;
    }

    @GetMapping
    @Operation(summary = "Decision figures of the inquiries created in [from, to), one row per key (admin only)",
            description = "Answer with Accept: text/csv for the same rows as CSV. Definitions in docs/audit.md.")
    @ApiResponse(responseCode = "200", description = "{\"data\": [{\"key\", \"inquiries\", \"answered\", "
            + "\"timed_out\", \"cancelled\", \"defaulted\", \"escalated\", \"decision_p50_seconds\", "
            + "\"decision_p90_seconds\"}]}")
    @ApiResponse(responseCode = "400", description = "from or to not ISO-8601, from not before to, or an unknown group_by")
    @ApiResponse(responseCode = "403", description = "the caller is not an admin")
    public DataResponse<List<InsightRow>> figures(
            @Parameter(description = "ISO-8601 instant, inclusive; default 30 days before to")
            @RequestParam(required = false) String from,
            @Parameter(description = "ISO-8601 instant, exclusive; default now") @RequestParam(required = false) String to,
            @Parameter(description = "assignee (default), group, action_ref or day")
            @RequestParam(name = "group_by", defaultValue = "assignee") String groupBy,
            @Parameter(hidden = true) @AuthenticationPrincipal Actor actor) {
        return DataResponse.of(rows(from, to, groupBy, actor));
    }

    @GetMapping(produces = CSV)
    @Operation(hidden = true)
    public ResponseEntity<String> csv(@RequestParam(required = false) String from,
                                      @RequestParam(required = false) String to,
                                      @RequestParam(name = "group_by", defaultValue = "assignee") String groupBy,
                                      @AuthenticationPrincipal Actor actor) {
        List<InsightRow> rows = rows(from, to, groupBy, actor);
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_TYPE, CSV + ";charset=UTF-8")
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"attune-insights-" + groupBy + ".csv\"")
                .body(InsightsCsv.write(rows));
    }

    private List<InsightRow> rows(String from, String to, String groupBy, Actor actor) {
        if (!actor.isAdmin()) {
            throw DomainException.forbidden("only an admin may read the insights");
        }
        List<ErrorDetail> problems = new ArrayList<>();
        Instant end = instant("to", to, Instant.now(), problems);
        Instant start = instant("from", from, end.minus(DEFAULT_PERIOD), problems);
        InsightGrouping grouping = InsightGrouping.fromWire(groupBy).orElse(null);
        if (grouping == null) {
            problems.add(new ErrorDetail("group_by", "must be assignee, group, action_ref or day, not " + groupBy));
        }
        if (problems.isEmpty() && !start.isBefore(end)) {
            problems.add(new ErrorDetail("from", "must be before to"));
        }
        if (!problems.isEmpty()) {
            throw new DomainException(ErrorCode.BAD_REQUEST, "invalid parameter: " + problems.get(0).path() + " "
                    + problems.get(0).message(), problems);
        }
        return insights.figures(start, end, grouping);
    }

    private static Instant instant(String name, String value, Instant fallback, List<ErrorDetail> problems) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            problems.add(new ErrorDetail(name, "must be an ISO-8601 instant such as 2026-01-15T10:30:00Z, not " + value));
            return fallback;
        }
    }
}
