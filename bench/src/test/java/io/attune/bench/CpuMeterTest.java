package io.attune.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CpuMeterTest {

    @Test
    void coresPerGroupBiggestFirstWithTheRestOfTheMachine() {
        Map<String, Long> before = new LinkedHashMap<>();
        before.put("api-service", 1_000L);
        before.put("postgres", 500L);
        Map<String, Long> after = new LinkedHashMap<>();
        after.put("api-service", 1_080L); // 80 ticks in 1 s: 0.8 cores
        after.put("postgres", 550L);      // 0.5 cores
        int cores = Runtime.getRuntime().availableProcessors();
        // the machine: 150 of 200 ticks busy per core-second pair, i.e. 75 % of every core
        CpuMeter.Snapshot first = new CpuMeter.Snapshot(0, before, 0, 0);
        CpuMeter.Snapshot second = new CpuMeter.Snapshot(1_000_000_000L, after, 150, 200);
        String described = CpuMeter.describe(first, second);
        assertThat(described).startsWith(String.format(java.util.Locale.ROOT, "machine %.2f of %d cores busy; ",
                0.75 * cores, cores)).contains("api-service 0.80, postgres 0.50");
        assertThat(described.indexOf("api-service")).isLessThan(described.indexOf("postgres"));
    }

    @Test
    void aServicesJitCompilerIsShownWithinItsShareAndALostGroupIsNotNegative() {
        CpuMeter.Snapshot first = new CpuMeter.Snapshot(0, Map.of("api-service", 1_000L, "postgres", 500L),
                Map.of("api-service", 100L), 0, 0);
        CpuMeter.Snapshot second = new CpuMeter.Snapshot(2_000_000_000L, Map.of("api-service", 1_100L, "postgres", 450L),
                Map.of("api-service", 160L), 300, 400);
        // 100 ticks in 2 s: 0.50 cores, 60 of them the compiler's: 0.30
        assertThat(CpuMeter.describe(first, second)).contains("api-service 0.50 (JIT 0.30)").contains("postgres n/a")
                .doesNotContain("-0.");
        // per answer, 50 answers: 20 ms, of which 12 ms compiling
        assertThat(CpuMeter.perEvent(first, second, 50, "answer"))
                .isEqualTo("CPU per answer: api-service 20.00 ms (JIT 12.00 ms), postgres n/a");
    }

    @Test
    void waitsForTheCompilersToGoQuietButNoLongerThanItsLimit() {
        CpuMeter meter = new CpuMeter(Map.of("this-jvm", ProcessHandle.current().pid()));
        assertThat(meter.awaitJitQuiet(Double.MAX_VALUE, 10)).as("quiet at the first look").isBetween(0.9, 5.0);
        assertThat(meter.awaitJitQuiet(-1, 2)).as("never quiet: the limit").isBetween(1.9, 6.0);
    }

    @Test
    void saysSoWithoutProc() {
        CpuMeter.Snapshot same = new CpuMeter.Snapshot(1, Map.of(), 0, 0);
        assertThat(CpuMeter.describe(same, new CpuMeter.Snapshot(2, Map.of(), 0, 0))).contains("no CPU figures");
    }
}
