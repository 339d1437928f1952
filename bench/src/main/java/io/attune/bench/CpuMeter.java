package io.attune.bench;

import io.attune.standalone.ServiceProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where the CPU went during a figure, from {@code /proc} (Linux; elsewhere it says nothing): the machine's busy
 * time, and each service, Postgres (every {@code postgres} process), RabbitMQ ({@code beam.smp}) and the benchmark
 * itself. Tells whether a figure is bounded by the machine or by something waiting. A service's share also says how
 * much of it its JIT compiler threads used: freshly started services compile their hot paths for minutes, and that
 * CPU is not the work of the figure.
 */
final class CpuMeter {
    /** Clock ticks per second of {@code /proc} times: 100 on every Linux the suite runs on. */
    private static final double TICKS = 100.0;

    /** A service whose JIT compiler threads use no more than this is done compiling what a warm-up made hot. */
    static final double JIT_QUIET_CORES = 0.05;
    static final int JIT_QUIET_MAX_SECONDS = 30;

    private final Map<String, Long> pids;

    /**
     * A moment's accumulated CPU ticks per group, those of each service's JIT compiler threads, and the machine's busy
     * and total ticks.
     */
    record Snapshot(long nanos, Map<String, Long> ticks, Map<String, Long> jitTicks, long busy, long total) {
        Snapshot(long nanos, Map<String, Long> ticks, long busy, long total) {
            this(nanos, ticks, Map.of(), busy, total);
        }
    }

    CpuMeter(Map<String, Long> pids) {
        this.pids = new LinkedHashMap<>(pids);
        this.pids.put("bench", ProcessHandle.current().pid());
    }

    Snapshot snapshot() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        Map<String, Long> jitTicks = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            ticks.put(name, processTicks(Path.of("/proc", Long.toString(pid), "stat")));
            jitTicks.put(name, compilerTicks(Path.of("/proc", Long.toString(pid), "task")));
        });
        long postgres = 0;
        long rabbit = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String comm = comm(proc.resolve("stat"));
                if ("postgres".equals(comm)) {
                    postgres += processTicks(proc.resolve("stat"));
                } else if ("beam.smp".equals(comm)) {
                    rabbit += processTicks(proc.resolve("stat"));
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        ticks.put("postgres", postgres);
        ticks.put("rabbitmq", rabbit);
        long busy = 0;
        long total = 0;
        try {
            List<String> cpu = List.of(Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+"));
            for (int i = 1; i < cpu.size() && i <= 8; i++) {
                long value = Long.parseLong(cpu.get(i));
                total += value;
                if (i != 4 && i != 5) { // idle, iowait
                    busy += value;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return new Snapshot(System.nanoTime(), ticks, jitTicks, busy, total);
    }

    /** A meter of the suite's services (and the benchmark), by name. */
    static CpuMeter of(BenchSuite suite) {
        return new CpuMeter(suite.services().stream().collect(Collectors.toMap(ServiceProcess::name,
                service -> service.process().pid(), (a, b) -> a, LinkedHashMap::new)));
    }

    /**
     * {@link #awaitJitQuiet(double, int)} with the benchmark's measure: no service's compilers above
     * {@value #JIT_QUIET_CORES} cores, at most {@value #JIT_QUIET_MAX_SECONDS} s.
     */
    double awaitJitQuiet() {
        return awaitJitQuiet(JIT_QUIET_CORES, JIT_QUIET_MAX_SECONDS);
    }

    /**
     * Waits until no service's JIT compiler threads used more than {@code cores} over the last second, at most
     * {@code maxSeconds}: what a warm-up left queued for the compiler is compiled before a figure, not during it.
     * The seconds waited.
     */
    double awaitJitQuiet(double cores, int maxSeconds) {
        long start = System.nanoTime();
        Snapshot before = snapshot();
        for (int second = 0; second < maxSeconds; second++) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            Snapshot after = snapshot();
            double seconds = (after.nanos() - before.nanos()) / 1e9;
            Snapshot from = before;
            if (after.jitTicks().keySet().stream()
                    .allMatch(name -> jitTicks(from, after, name) / TICKS / seconds <= cores)) {
                break;
            }
            before = after;
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** The CPU ticks of a JVM's compiler threads ({@code C1 CompilerThre…}, {@code C2 CompilerThre…}). */
    private static long compilerTicks(Path tasks) {
        if (!Files.isDirectory(tasks)) {
            return 0;
        }
        long sum = 0;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : threads.toList()) {
                if (comm(thread.resolve("stat")).contains("CompilerThre")) {
                    sum += processTicks(thread.resolve("stat"));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return sum;
    }

    /** The ticks a service's compiler threads used between the snapshots. */
    private static long jitTicks(Snapshot before, Snapshot after, String name) {
        return after.jitTicks().getOrDefault(name, 0L) - before.jitTicks().getOrDefault(name, 0L);
    }

    /** {@code " (JIT 0.12)"}: the part of a service's figure its compiler threads used, when they used any. */
    private static String jit(Snapshot before, Snapshot after, String name, double divisor, String format) {
        long ticks = jitTicks(before, after, name);
        return ticks <= 0 ? "" : String.format(Locale.ROOT, " (JIT " + format + ")", ticks / TICKS / divisor);
    }

    /**
     * {@code machine 1.93 of 2 cores busy; api-service 0.81 (JIT 0.10), postgres 0.52, …}, biggest first; a group
     * whose processes ended within the figure (Postgres backends) cannot be measured: "n/a".
     */
    static String describe(Snapshot before, Snapshot after) {
        double seconds = (after.nanos() - before.nanos()) / 1e9;
        if (seconds <= 0 || after.total() == before.total()) {
            return "no CPU figures (no /proc)";
        }
        int cores = Runtime.getRuntime().availableProcessors();
        double busy = (double) (after.busy() - before.busy()) / (after.total() - before.total()) * cores;
        Map<String, Double> used = new LinkedHashMap<>();
        after.ticks().forEach((name, ticks) -> used.put(name,
                (ticks - before.ticks().getOrDefault(name, 0L)) / TICKS / seconds));
        // whatever else ran: pgbench and processes that ended within the figure, or another user of the machine
        used.put("rest of the machine", Math.max(0, busy - used.values().stream().mapToDouble(d -> Math.max(0, d)).sum()));
        String groups = used.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> e.getValue() < 0 ? e.getKey() + " n/a"
                        : String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue())
                                + jit(before, after, e.getKey(), seconds, "%.2f"))
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "machine %.2f of %d cores busy; %s", busy, cores, groups);
    }

    /**
     * {@code CPU per answer: api-service 4.1 ms, postgres 1.2 ms, …}: each group's CPU between the snapshots divided
     * by {@code events}, biggest first (the clock tick is 10 ms, so this wants hundreds of events). Postgres is the
     * sum over its live processes: when backends ended between the snapshots it has no figure ("n/a").
     */
    static String perEvent(Snapshot before, Snapshot after, int events, String event) {
        if (events <= 0 || after.total() == before.total()) {
            return "no CPU figures (no /proc)";
        }
        return "CPU per " + event + ": " + after.ticks().entrySet().stream()
                .map(e -> Map.entry(e.getKey(), (e.getValue() - before.ticks().getOrDefault(e.getKey(), 0L))
                        / TICKS * 1000 / events))
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> e.getValue() < 0 ? e.getKey() + " n/a"
                        : String.format(Locale.ROOT, "%s %.2f ms", e.getKey(), e.getValue())
                                + jit(before, after, e.getKey(), events / 1000.0, "%.2f ms"))
                .collect(Collectors.joining(", "));
    }

    private static long processTicks(Path stat) {
        try {
            String text = Files.readString(stat);
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        } catch (IOException | RuntimeException e) {
            return 0; // gone
        }
    }

    private static String comm(Path stat) {
        try {
            String text = Files.readString(stat);
            return text.substring(text.indexOf('(') + 1, text.lastIndexOf(')'));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
