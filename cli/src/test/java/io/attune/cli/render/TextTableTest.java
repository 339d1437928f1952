package io.attune.cli.render;

import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TextTableTest {

    @Test
    void columnsAreAsWideAsTheirWidestCellWithoutTrailingSpaces() {
        String table = TextTable.of("ID", "STATUS", "PROMPT").row(7, "pending", "Approve?").row(12, "timeout", "")
                .render();
        assertThat(table).isEqualTo("""
                ID  STATUS   PROMPT
                7   pending  Approve?
                12  timeout
                """);
    }

    @Test
    void longCellsAreCutAndLineBreaksFlattened() {
        String table = TextTable.of("A", "B").limit(0, 6).row("abcdefghij", "two\nlines").render("  ");
        assertThat(table).isEqualTo("""
                  A       B
                  abcde…  two lines
                """);
    }

    @Test
    void timeLeftReadsLikeACountdown() {
        Instant now = Instant.parse("2026-01-15T10:00:00Z");
        assertThat(TimeLeft.until(now.plusSeconds(1752), now)).isEqualTo("29m 12s");
        assertThat(TimeLeft.until(now.plusSeconds(7500), now)).isEqualTo("2h 5m");
        assertThat(TimeLeft.until(now.plus(Duration.ofDays(3).plusHours(4)), now)).isEqualTo("3d 4h");
        assertThat(TimeLeft.until(now.plusMillis(400), now)).isEqualTo("1s");
        assertThat(TimeLeft.until(now.minusSeconds(1), now)).isEqualTo("expired");
        assertThat(TimeLeft.until(null, now)).isEqualTo("no limit");
    }

    @Test
    void contextIsRenderedAsTextTables() {
        String text = ContextView.render(Json.tree("""
                {"deployment_plan": {"service": "billing", "canary": true, "changes": ["Add export", "Fix rounding"]},
                 "anomalies": [{"record": 3, "problem": "missing email"}, {"record": 9, "problem": "amount < 0"}],
                 "total": 4}
                """), "  ");
        assertThat(text).isEqualTo("""
                  Total  4
                  Deployment plan
                    Service  billing
                    Canary   yes
                    Changes
                      1. Add export
                      2. Fix rounding
                  Anomalies
                    Record  Problem
                    3       missing email
                    9       amount < 0
                """);
    }
}
