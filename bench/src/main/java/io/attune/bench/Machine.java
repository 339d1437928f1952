package io.attune.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** What the figures were measured on: CPU, memory, OS, Java, Postgres, RabbitMQ, pgbench. */
final class Machine {
    private Machine() {
    }

    static void describe(Report report, Database db, Broker broker, String pgbench) {
        report.machine("CPU", firstValue(Path.of("/proc/cpuinfo"), "model name").orElse("unknown")
                + " (nproc " + Runtime.getRuntime().availableProcessors() + ")");
        report.machine("RAM", firstValue(Path.of("/proc/meminfo"), "MemTotal")
                .map(Machine::kbToGib).orElse("unknown"));
        report.machine("OS", firstValue(Path.of("/etc/os-release"), "PRETTY_NAME")
                .map(v -> v.replace("\"", "")).orElse(System.getProperty("os.name")) + ", kernel "
                + System.getProperty("os.version"));
        report.machine("Java", javaVersion());
        String autovacuum = db.queryText("SHOW autovacuum");
        report.machine("PostgreSQL", db.queryText("SELECT version()") + "; shared_buffers "
                + db.queryText("SHOW shared_buffers") + ", synchronous_commit "
                + db.queryText("SHOW synchronous_commit") + ", max_connections " + db.queryText("SHOW max_connections")
                + ", autovacuum " + autovacuum);
        if ("off".equals(autovacuum)) {
            // dead rows then pile up for the whole run: every figure after the first bulk change reads past them
            String warning = "autovacuum is off on this server: nothing is vacuumed during the run (the benchmark "
                    + "only runs ANALYZE after its bulk changes), so later figures read past dead rows a production "
                    + "server would have removed";
            System.out.println("  warning: " + warning);
            report.note(warning);
        }
        report.machine("RabbitMQ", broker.serverVersion());
        report.machine("pgbench", pgbench);
        report.machine("Services", "api-service, executor-service, notifier-service as child JVMs of their jars, "
                + "their shipped JVM options (deploy/jvm/<service>.options) and class-data archives, on the same "
                + "machine as Postgres, RabbitMQ and the benchmark's own client");
    }

    /** The value of the first {@code key: value} or {@code key=value} line of a file. */
    private static java.util.Optional<String> firstValue(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    String rest = line.substring(key.length()).strip();
                    if (rest.startsWith(":") || rest.startsWith("=")) {
                        return java.util.Optional.of(rest.substring(1).strip());
                    }
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return java.util.Optional.empty();
    }

    private static String kbToGib(String memTotal) {
        long kb = Long.parseLong(memTotal.replaceAll("[^0-9]", ""));
        return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
    }

    /** {@code java -version} of the java the services run on (the benchmark's own), on one line. */
    private static String javaVersion() {
        String java = ProcessHandle.current().info().command().orElse("java");
        try {
            Process process = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(10, TimeUnit.SECONDS);
            List<String> lines = out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            return String.join("; ", lines);
        } catch (IOException e) {
            return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return System.getProperty("java.runtime.version");
        }
    }
}
