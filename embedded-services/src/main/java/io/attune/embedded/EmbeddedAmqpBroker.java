package io.attune.embedded;

import org.apache.qpid.server.SystemLauncher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * An AMQP 0-9-1 broker in this JVM (Apache Qpid Broker-J, in-memory), for machines without RabbitMQ.
 * It accepts guest/guest on 127.0.0.1 and speaks the protocol spring-rabbit and the RabbitMQ client use.
 * Messages live in memory only: they are lost when the process stops.
 */
public final class EmbeddedAmqpBroker implements AutoCloseable {
    private static final String INITIAL_CONFIGURATION = "attune-qpid-config.json";

    private final SystemLauncher launcher;
    private final int port;

    private EmbeddedAmqpBroker(SystemLauncher launcher, int port) {
        this.launcher = launcher;
        this.port = port;
    }

    /** Starts a broker on the given port, or on a free one when {@code port} is 0. */
    public static EmbeddedAmqpBroker start(int port) {
        int actualPort = port == 0 ? freePort() : port;
        try {
            Path workDir = Files.createTempDirectory("attune-qpid");
            URL config = EmbeddedAmqpBroker.class.getClassLoader().getResource(INITIAL_CONFIGURATION);
            Map<String, String> context = new HashMap<>();
            context.put("qpid.amqp_port", Integer.toString(actualPort));
            context.put("qpid.work_dir", workDir.toString());
            context.put("qpid.home_dir", workDir.toString());
            Map<String, Object> attributes = new HashMap<>();
            attributes.put("type", "Memory");
            attributes.put("initialConfigurationLocation", config.toExternalForm());
            attributes.put("startupLoggedToSystemOut", false);
            attributes.put("context", context);
            SystemLauncher launcher = new SystemLauncher();
            launcher.startup(attributes);
            return new EmbeddedAmqpBroker(launcher, actualPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the embedded AMQP broker on port " + actualPort, e);
        }
    }

    public int port() {
        return port;
    }

    /** The URL in the form of {@code ATTUNE_AMQP_URL}. */
    public String url() {
        return "amqp://guest:guest@127.0.0.1:" + port + "/";
    }

    /** Stops the broker; a no-op when Qpid's own shutdown hook (JVM exit) got there first. */
    @Override
    public void close() {
        try {
            launcher.shutdown();
        } catch (IllegalStateException alreadyStopping) {
            // Qpid's shutdown hook runs beside ours at JVM exit
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
