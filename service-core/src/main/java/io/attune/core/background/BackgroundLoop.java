package io.attune.core.background;

import org.springframework.context.SmartLifecycle;

/**
 * A job that runs on a thread of its own for as long as the application does (the outbox relay, the event pruner):
 * started with the context, interrupted and joined (for up to 5 s) when it stops. The subclass's {@link #loop()}
 * runs while {@link #isRunning()} and returns promptly once interrupted.
 */
public abstract class BackgroundLoop implements SmartLifecycle {
    private final String threadName;
    private volatile boolean running;
    private Thread thread;

    protected BackgroundLoop(String threadName) {
        this.threadName = threadName;
    }

    /** The job: loop until {@link #isRunning()} is false or the thread is interrupted. */
    protected abstract void loop();

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::loop, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
