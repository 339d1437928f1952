package io.attune.e2e;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The suite most test classes need, shared between them (docs/e2e.md, "Shared suites"): notifier, api, executor and
 * a worker running {@link TestPacks} — the notifier first, so that the web UI the api serves connects to it — with
 * the api trusting {@code X-Forwarded-For} from the loopback, as behind a proxy (SecurityTest gives each throttling
 * test an address of its own that way; no other test sends the header).
 *
 * <p>A class declares {@link Uses} and takes a {@code StandardSuite} in its {@code @BeforeAll}: it gets the running
 * suite and {@link #unique} names of its own, so that its identities, groups and executions are its own and the
 * classes stay independent of each other and of their order. After the class, every service must still be alive.
 */
public final class StandardSuite {
    static final String GROUP = "standard";

    private final Running running;
    private final String tag = UUID.randomUUID().toString().substring(0, 6);

    private StandardSuite(Running running) {
        this.running = running;
    }

    /** Runs the class on the shared standard suite: take a {@link StandardSuite} parameter in {@code @BeforeAll}. */
    @Documented
    @Inherited
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @SharedSuites.Group(GROUP)
    @ExtendWith(Extension.class)
    public @interface Uses {
    }

    public RunningSuite running() {
        return running.suite();
    }

    /** The suite's packs directory ({@code ATTUNE_PACKS_DIR}); a class that changes a file there restores it. */
    public Path packs() {
        return running.packs();
    }

    /** {@code name} made this class's own (a login, a group name): {@code name-<tag>}. */
    public String unique(String name) {
        return name + "-" + tag;
    }

    /** The suite itself and its packs: what the run keeps between classes. */
    private record Running(RunningSuite suite, Path packs) implements AutoCloseable {
        static Running start() {
            Path packs = TestPacks.create();
            return new Running(RunningSuite.start(Map.of("ATTUNE_PACKS_DIR", packs.toString(),
                    "SERVER_FORWARD_HEADERS_STRATEGY", "native"), "notifier", "api", "executor", "worker"), packs);
        }

        @Override
        public void close() {
            suite.close();
        }
    }

    /** Resolves {@link StandardSuite} parameters and checks after each class that the suite is still whole. */
    static final class Extension implements ParameterResolver, AfterAllCallback {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == StandardSuite.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return new StandardSuite(SharedSuites.get(context, GROUP, Running.class, Running::start));
        }

        @Override
        public void afterAll(ExtensionContext context) {
            Running running = SharedSuites.running(context, GROUP, Running.class).orElse(null);
            if (running == null) {
                return; // the class never started it (skipped, say)
            }
            List<String> dead = running.suite().services().stream().filter(s -> !s.isAlive())
                    .map(s -> s + ":\n" + s.logTail(40)).toList();
            if (!dead.isEmpty()) {
                // the next class gets a fresh suite; this one fails, since it was running when they died
                SharedSuites.discard(context, GROUP);
                throw new AssertionError("services of the shared suite died during "
                        + context.getRequiredTestClass().getSimpleName() + ": " + dead);
            }
        }
    }
}
