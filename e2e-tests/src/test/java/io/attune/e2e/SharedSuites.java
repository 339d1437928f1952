package io.attune.e2e;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Comparator;
import java.util.function.Supplier;

/**
 * Running suites shared between test classes. Starting a suite costs four or more JVM start-ups (half a minute on a
 * busy 2-core machine), so test classes that can run on the same configuration share one: it is started for the first
 * class of its group that needs it and stopped when a class of another group asks for its own, or at the end of the
 * test JVM. {@link GroupsTogether} runs the classes of a group one after another, so each suite starts once per run.
 * Classes that kill processes, need an environment of their own or break the suite on purpose start their own suite.
 */
public final class SharedSuites {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedSuites.class);

    private SharedSuites() {
    }

    /** The shared suite a test class runs on: classes with the same value share one (see {@link #get}). */
    @Documented
    @Inherited
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface Group {
        String value();
    }

    /**
     * The suite of {@code group}, started by {@code start} on first use and kept in the root store (so it is closed at
     * the end of the run at the latest). A suite of another group still running is stopped first: one shared suite at
     * a time, never idle ones beside the suite under test.
     */
    public static synchronized <T extends AutoCloseable> T get(ExtensionContext context, String group, Class<T> type,
                                                              Supplier<? extends T> start) {
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        Open open = store.get(Open.class, Open.class);
        if (open != null && !open.group().equals(group)) {
            store.remove(Open.class, Open.class);
            closeQuietly(open);
            open = null;
        }
        if (open == null) {
            open = new Open(group, start.get());
            store.put(Open.class, open);
        }
        return type.cast(open.suite());
    }

    /** The suite of {@code group} if it is the one running. */
    public static synchronized <T extends AutoCloseable> java.util.Optional<T> running(ExtensionContext context,
                                                                                     String group, Class<T> type) {
        Open open = context.getRoot().getStore(NAMESPACE).get(Open.class, Open.class);
        return open != null && open.group().equals(group) ? java.util.Optional.of(type.cast(open.suite()))
                : java.util.Optional.empty();
    }

    /** Stops the shared suite of {@code group} if it is the one running (say, a class found one of its services dead). */
    public static synchronized void discard(ExtensionContext context, String group) {
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        Open open = store.get(Open.class, Open.class);
        if (open != null && open.group().equals(group)) {
            store.remove(Open.class, Open.class);
            closeQuietly(open);
        }
    }

    private static void closeQuietly(Open open) {
        try {
            open.close();
        } catch (Exception e) {
            System.out.printf("stopping the shared suite %s failed: %s%n", open.group(), e);
        }
    }

    /** What the root store holds; closed by JUnit at the end of the run if no other group replaced it before. */
    private record Open(String group, AutoCloseable suite) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            suite.close();
        }
    }

    /**
     * The run's class order: classes with a suite of their own first, as discovered, then the classes of each
     * {@link Group} together (one start per shared suite). Configured in {@code junit-platform.properties}.
     */
    public static final class GroupsTogether implements ClassOrderer {
        @Override
        public void orderClasses(ClassOrdererContext context) {
            // a stable sort: within "own suite" and within each group, the discovery order stays
            context.getClassDescriptors().sort(Comparator.comparing(GroupsTogether::group));
        }

        private static String group(ClassDescriptor descriptor) {
            return descriptor.findAnnotation(Group.class).map(g -> "1 " + g.value()).orElse("0");
        }
    }
}
