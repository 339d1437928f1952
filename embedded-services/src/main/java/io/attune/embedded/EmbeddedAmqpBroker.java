package io.attune.embedded;

import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.Broker;
import org.apache.qpid.server.model.SystemConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
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
    private static final Logger log = LoggerFactory.getLogger(EmbeddedAmqpBroker.class);
    private static final String INITIAL_CONFIGURATION = "attune-qpid-config.json";

    private final SystemLauncher launcher;
    private final int port;
    private final Broker<?> broker;

    private EmbeddedAmqpBroker(SystemLauncher launcher, int port, Broker<?> broker) {
        this.launcher = launcher;
        this.port = port;
        this.broker = broker;
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
            Broker<?>[] broker = new Broker<?>[1];
            SystemLauncher launcher = new SystemLauncher(new SystemLauncherListener.DefaultSystemLauncherListener() {
                @Override
                public void onContainerResolve(SystemConfig<?> systemConfig) {
                    broker[0] = systemConfig.getContainer(Broker.class);
                }
            });
            launcher.startup(attributes);
            return new EmbeddedAmqpBroker(launcher, actualPort, broker[0]);
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

    /**
     * From now on only {@link #close()} stops the broker. Qpid stops it from a JVM shutdown hook of its own, which runs
     * at the same moment as the standalone launcher's: the services, still shutting down, would lose their connections
     * (and say so in their logs). Qpid offers no setting for that hook, so it is taken from the broker's field; if that
     * field is not there (another Qpid version), the hook stays and only the order of the shutdown is lost.
     */
    public boolean stopOnlyOnClose() {
        try {
            Field hook = shutdownHookField(broker.getClass());
            hook.setAccessible(true);
            return Runtime.getRuntime().removeShutdownHook((Thread) hook.get(broker));
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("Qpid's shutdown hook stays in place: {}", e.toString());
            return false;
        }
    }

    /** The field is BrokerImpl's; the broker's class is a subclass Qpid generates. */
    private static Field shutdownHookField(Class<?> type) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField("_shutdownHook");
            } catch (NoSuchFieldException notHere) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException("_shutdownHook in " + type.getName() + " or its superclasses");
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
