package io.attune.embedded;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The embedded broker (what {@code ./run.sh} starts when no RabbitMQ is given) on the newest JDK installed beside the
 * build's, when it is 23 or newer: from JDK 23 on {@code Subject.getSubject} throws, and Qpid Broker-J before 10
 * called it on start, so the suite did not start at all for a user whose {@code java} was a current JDK. Skipped
 * on a machine with no such JDK under {@code /usr/lib/jvm} or {@code ATTUNE_NEWER_JDK} (a JDK's home).
 */
class NewerJdkTest {
    private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);

    @Test
    void theEmbeddedBrokerStartsAndRoutesOnTheNewestInstalledJdk() throws Exception {
        Optional<Path> java = newestJdk();
        assumeTrue(java.isPresent(), "no JDK 23 or newer installed");
        int port = EmbeddedAmqpBroker.freePort();
        Process broker = new ProcessBuilder(java.get().toString(), "-cp", System.getProperty("java.class.path"),
                BrokerProcess.class.getName(), Integer.toString(port)).redirectErrorStream(true).start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(broker.getInputStream(),
                    StandardCharsets.UTF_8));
            CompletableFuture<String> outcome = CompletableFuture.supplyAsync(() -> untilReady(output));
            String said = outcome.get(120, TimeUnit.SECONDS);
            assertThat(said).as("the broker on %s", java.get()).endsWith(BrokerProcess.READY);

            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri("amqp://guest:guest@127.0.0.1:" + port + "/");
            try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
                channel.queueDeclare("q.newer-jdk", false, false, true, null);
                channel.basicPublish("", "q.newer-jdk", null, "hello".getBytes(StandardCharsets.UTF_8));
                assertThat(new String(channel.basicGet("q.newer-jdk", true).getBody(), StandardCharsets.UTF_8))
                        .isEqualTo("hello");
            }
        } finally {
            broker.destroy();
            broker.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The child's output up to its ready line, or all of it (with the failure) when it exits first. */
    private static String untilReady(BufferedReader output) {
        StringBuilder said = new StringBuilder();
        try {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                said.append(said.isEmpty() ? "" : "\n").append(line);
                if (line.equals(BrokerProcess.READY)) {
                    break;
                }
            }
        } catch (IOException e) {
            said.append("\n").append(e);
        }
        return said.toString();
    }

    private static Optional<Path> newestJdk() throws IOException {
        Stream<Path> homes = Stream.empty();
        String given = System.getenv("ATTUNE_NEWER_JDK");
        if (given != null && !given.isBlank()) {
            homes = Stream.of(Path.of(given));
        } else if (Files.isDirectory(Path.of("/usr/lib/jvm"))) {
            try (Stream<Path> listed = Files.list(Path.of("/usr/lib/jvm"))) {
                homes = listed.toList().stream();
            }
        }
        return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
                .filter(home -> featureVersion(home) >= 23)
                .max(Comparator.comparingInt(NewerJdkTest::featureVersion))
                .map(home -> home.resolve("bin/java"));
    }

    /** The JDK's feature version from its {@code release} file; 0 when it has none. */
    private static int featureVersion(Path home) {
        try {
            Matcher version = VERSION.matcher(Files.readString(home.resolve("release")));
            return version.find() ? Integer.parseInt(version.group(1)) : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The child JVM: starts the broker on the port given and says so, then waits to be stopped. */
    public static final class BrokerProcess {
        static final String READY = "broker ready";

        public static void main(String[] args) throws InterruptedException {
            EmbeddedAmqpBroker.start(Integer.parseInt(args[0]));
            System.out.println(READY);
            Thread.currentThread().join();
        }
    }
}
