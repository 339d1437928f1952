package io.attune.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTest {
    @TempDir
    Path dir;

    private static Report sample() {
        Report report = new Report(Instant.parse("2026-01-15T10:30:00.123Z"), "./bench.sh --quick");
        report.machine("CPU", "Some CPU (2 cores)");
        report.size("creation", "2,000 ExecutionCompleted");
        report.row("1", "Creation", "812 inquiries/s", "≥ ½ of (2)", Report.Verdict.YES);
        report.row("6a", "Listing a|b", "median 3 ms", "p99 < 20 ms", Report.Verdict.NO);
        report.note("publish rate: 9,000 messages/s");
        report.plan("Listing, no filter: count", "Aggregate  (cost=...)\n  ->  Seq Scan");
        return report;
    }

    @Test
    void markdownHasTheTableTheMachineAndThePlans() {
        String markdown = sample().markdown();
        assertThat(markdown).startsWith("# Benchmarks\n")
                .contains("- Date: 2026-01-15T10:30:00Z\n")
                .contains("- Command: `./bench.sh --quick`\n")
                .contains("- CPU: Some CPU (2 cores)\n")
                .contains("| # | figure | result | target | met? |\n|---|---|---|---|---|\n")
                .contains("| 1 | Creation | 812 inquiries/s | ≥ ½ of (2) | yes |\n")
                .contains("| 6a | Listing a\\|b | median 3 ms | p99 < 20 ms | **no** |\n")
                .contains("- publish rate: 9,000 messages/s\n")
                .contains("## Query plans\n\n### Listing, no filter: count\n\n```\nAggregate  (cost=...)\n  ->  Seq Scan\n```\n")
                .doesNotContain(Report.ANALYSIS_MARKER);
    }

    @Test
    void aNewFileGetsTheMarkerAndAPlaceholder() throws Exception {
        Path file = dir.resolve("docs/benchmarks.md");
        sample().write(file);
        String text = Files.readString(file);
        assertThat(text).contains("## Results").endsWith(Report.ANALYSIS_MARKER + "\n\n" + Report.ANALYSIS_PLACEHOLDER);
    }

    @Test
    void rewritingKeepsEverythingFromTheMarkerOn() throws Exception {
        Path file = dir.resolve("benchmarks.md");
        String analysis = Report.ANALYSIS_MARKER + "\n\n## Analysis\n\nThe count(*) bounds listing: see the plan.\n";
        Files.writeString(file, "# Old figures\n\n| 1 | old |\n\n" + analysis);
        sample().write(file);
        String text = Files.readString(file);
        assertThat(text).doesNotContain("Old figures").contains("812 inquiries/s").endsWith(analysis);
        assertThat(text.indexOf(Report.ANALYSIS_MARKER)).isEqualTo(text.lastIndexOf(Report.ANALYSIS_MARKER));
    }

    @Test
    void aFileWithoutTheMarkerIsReplacedAndGetsOne() throws Exception {
        Path file = dir.resolve("benchmarks.md");
        Files.writeString(file, "# Benchmarks\n\nhand-written, but above no marker\n");
        sample().write(file);
        assertThat(Files.readString(file)).doesNotContain("above no marker")
                .endsWith(Report.ANALYSIS_MARKER + "\n\n" + Report.ANALYSIS_PLACEHOLDER);
    }

    @Test
    void theMarkerMustBeALineOfItsOwn() {
        assertThat(Report.keptAnalysis("text " + Report.ANALYSIS_MARKER + "\nmore")).isNull();
        assertThat(Report.keptAnalysis("a\n" + Report.ANALYSIS_MARKER)).isEqualTo(Report.ANALYSIS_MARKER + "\n");
        assertThat(Report.keptAnalysis("a\n  " + Report.ANALYSIS_MARKER + "  \nkept"))
                .isEqualTo("  " + Report.ANALYSIS_MARKER + "  \nkept\n");
    }

    @Test
    void summaryIsTheTableAndTheNotes() {
        String summary = sample().summary();
        assertThat(summary).startsWith("| # | figure |").contains("- publish rate: 9,000 messages/s")
                .doesNotContain("Query plans");
    }
}
