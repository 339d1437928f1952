package io.attune.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Part of figure 6: {@code GET /api/v1/insights} over every stored inquiry (a million in the full run), per
 * grouping, a few sequential requests after a warm-up.
 */
final class InsightsFigure {
    private static final int REQUESTS = 5;

    private InsightsFigure() {
    }

    static void run(Run run, char firstLetter) {
        char letter = firstLetter;
        long stored = run.db().queryLong("SELECT count(*) FROM attune.inquiry");
        String period = "from=2000-01-01T00:00:00Z&to=" + Instant.now().plus(Duration.ofDays(1));
        for (String groupBy : List.of("assignee", "action_ref", "day")) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(run.suite().apiUrl() + "/api/v1/insights?"
                            + period + "&group_by=" + groupBy)).timeout(Duration.ofMinutes(5))
                    .header("Authorization", "Bearer " + run.adminToken()).GET().build();
            List<Long> nanos = new ArrayList<>();
            for (int i = 0; i <= REQUESTS; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> response = AuditFigure.send(run, request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("insights answered " + response.statusCode() + ": " + response.body());
                }
                if (i > 0) {
                    nanos.add(System.nanoTime() - t0);
                }
            }
            Latencies latencies = Latencies.ofNanos(nanos);
            run.report().row("6" + letter++, "Insights: `GET /api/v1/insights?group_by=" + groupBy + "` over all "
                    + Format.count(stored) + " inquiries", latencies.describe(), "—", Report.Verdict.NONE);
            Run.progress("insights by %-10s %s", groupBy, latencies.describe());
        }
    }
}
