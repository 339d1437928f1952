package io.attune.core.background;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import java.util.concurrent.ThreadFactory;

/** Threads for the services' own executors, named prefix + count: daemons, so they never keep a stopping JVM alive. */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    public static ThreadFactory named(String prefix) {
        CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
        threads.setDaemon(true);
        return threads;
    }
}
