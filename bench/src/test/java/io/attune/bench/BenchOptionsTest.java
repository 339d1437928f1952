package io.attune.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {

    @Test
    void defaultsAreTheIssueSizes() {
        BenchOptions options = BenchOptions.parse();
        assertThat(options.quick()).isFalse();
        assertThat(options.out()).isEqualTo(Path.of("docs/benchmarks.md"));
        assertThat(options.creation()).isEqualTo(20_000);
        assertThat(options.responses()).isEqualTo(5_000);
        assertThat(options.clients()).isEqualTo(50);
        assertThat(options.timeouts()).isEqualTo(100_000);
        assertThat(options.stored()).isEqualTo(1_000_000);
        assertThat(options.profile()).isFalse();
        assertThat(options.autoExplainMillis()).isZero();
    }

    @Test
    void diagnostics() {
        BenchOptions options = BenchOptions.parse("--profile", "--auto-explain", "20");
        assertThat(options.profile()).isTrue();
        assertThat(options.autoExplainMillis()).isEqualTo(20);
    }

    @Test
    void quickIsSmallAndWritesUnderTarget() {
        BenchOptions options = BenchOptions.parse("--quick");
        assertThat(options.quick()).isTrue();
        assertThat(options.out()).isEqualTo(Path.of("target/benchmarks-quick.md"));
        assertThat(options.creation()).isLessThan(20_000);
        assertThat(BenchOptions.parse("--quick", "--out", "x.md").out()).isEqualTo(Path.of("x.md"));
    }

    @Test
    void sizesCanBeOverridden() {
        BenchOptions options = BenchOptions.parse("--creation", "30,000", "--responses", "1000", "--timeouts", "10_000",
                "--stored", "200000", "--clients", "10", "--requests", "20");
        assertThat(options.creation()).isEqualTo(30_000);
        assertThat(options.responses()).isEqualTo(1_000);
        assertThat(options.timeouts()).isEqualTo(10_000);
        assertThat(options.stored()).isEqualTo(200_000);
        assertThat(options.clients()).isEqualTo(10);
        assertThat(options.requests()).isEqualTo(20);
        assertThat(options.arguments()).startsWith("--creation", "30,000");
    }

    @Test
    void retentionFigureSizes() {
        BenchOptions full = BenchOptions.parse();
        assertThat(full.eventRetentionSeconds()).isEqualTo(60);
        assertThat(full.retentionLoadSeconds()).isEqualTo(600);
        assertThat(full.retentionRate()).isEqualTo(150);
        assertThat(full.pruneBacklog()).isEqualTo(500_000);
        BenchOptions quick = BenchOptions.parse("--quick");
        assertThat(quick.retentionLoadSeconds()).isLessThan(60);
        BenchOptions chosen = BenchOptions.parse("--retention", "30", "--retention-load", "120", "--retention-rate",
                "300", "--prune-backlog", "100000");
        assertThat(chosen.eventRetentionSeconds()).isEqualTo(30);
        assertThat(chosen.retentionLoadSeconds()).isEqualTo(120);
        assertThat(chosen.retentionRate()).isEqualTo(300);
        assertThat(chosen.pruneBacklog()).isEqualTo(100_000);
        assertThat(chosen.retentionOnly()).isFalse();
        assertThat(BenchOptions.parse("--retention-only").retentionOnly()).isTrue();
    }

    @Test
    void workflowsAreInTheFullRunAndCanRunAlone() {
        BenchOptions full = BenchOptions.parse();
        assertThat(full.workflowsOnly()).isFalse();
        assertThat(full.workflowRuns()).isEqualTo(2_000);
        assertThat(BenchOptions.parse("--quick").workflowRuns()).isEqualTo(200);
        BenchOptions alone = BenchOptions.parse("--workflows", "--workflow-runs", "50");
        assertThat(alone.workflowsOnly()).isTrue();
        assertThat(alone.workflowRuns()).isEqualTo(50);
    }

    @Test
    void creationCanRunAloneWithItsCeilingAndWarmsUpInProportion() {
        assertThat(BenchOptions.parse().creationOnly()).isFalse();
        assertThat(BenchOptions.parse("--creation-only", "--creation", "6000", "--responses", "500").creationOnly())
                .isTrue();
        assertThat(CreationFigure.warmUp(20_000)).isEqualTo(20_000);
        assertThat(CreationFigure.warmUp(2_000)).isEqualTo(2_000);
        assertThat(CreationFigure.warmUp(100_000)).isEqualTo(20_000);
        assertThat(CreationFigure.warmUp(50)).isEqualTo(100);
    }

    @Test
    void refusesWhatItCannotDo() {
        assertThatThrownBy(() -> BenchOptions.parse("--creation")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> BenchOptions.parse("--creation", "-3")).hasMessageContaining("positive integer");
        assertThatThrownBy(() -> BenchOptions.parse("--fast")).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> BenchOptions.parse("--creation", "1000", "--responses", "1000"))
                .hasMessageContaining("too small");
    }

    @Test
    void openLoopRatesAndSaturation() {
        BenchOptions.OpenLoop defaults = BenchOptions.parse().openLoop();
        assertThat(defaults.rates()).containsExactly(25, 50, 100, 200);
        assertThat(defaults.only()).isFalse();
        assertThat(defaults.answers()).isEqualTo(375 * defaults.seconds());

        BenchOptions.OpenLoop alone = BenchOptions.parse("--open-loop", "--rates", "10,40", "--rate-seconds", "3",
                "--saturation-step", "10", "--saturation-max", "90", "--respond-ceiling-clients", "4").openLoop();
        assertThat(alone.only()).isTrue();
        assertThat(alone.rates()).containsExactly(10, 40);
        assertThat(alone.seconds()).isEqualTo(3);
        assertThat(alone.answers()).isEqualTo(150);
        assertThat(alone.saturationStep()).isEqualTo(10);
        assertThat(alone.saturationMax()).isEqualTo(90);
        assertThat(alone.ceilingClients()).isEqualTo(4);

        assertThatThrownBy(() -> BenchOptions.parse("--rates", "50,25")).hasMessageContaining("rising");
        assertThatThrownBy(() -> BenchOptions.parse("--rates", "0")).hasMessageContaining("rising");
        assertThat(BenchOptions.USAGE).contains("--open-loop", "--rates", "--rate-seconds", "--saturation-step",
                "--respond-ceiling-clients");
    }
}
