package io.attune.worker.action;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** Stopping an action with everything it started: a polite SIGTERM first, SIGKILL for whatever is left. */
final class ProcessTrees {
    private ProcessTrees() {
    }

    static void terminate(ProcessHandle root, Duration grace) {
        // Taken before anything dies: once the root is gone its children are re-parented and can no longer be found.
        List<ProcessHandle> tree = Stream.concat(Stream.of(root), root.descendants()).toList();
        tree.forEach(ProcessHandle::destroy);
        try {
            CompletableFuture.allOf(tree.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                    .get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return;
        } catch (TimeoutException | ExecutionException e) {
            // some ignored SIGTERM
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<ProcessHandle> left = new ArrayList<>();
        for (ProcessHandle process : tree) {
            if (process.isAlive()) {
                left.add(process);
                process.descendants().forEach(left::add);
            }
        }
        left.forEach(ProcessHandle::destroyForcibly);
    }
}
