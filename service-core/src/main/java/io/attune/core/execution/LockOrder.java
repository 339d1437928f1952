package io.attune.core.execution;

import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.stream.IntStream;

/**
 * A transaction that handles several executions (a batch of reports, of answers) locks them in id order, so that two
 * such transactions never wait on each other in a cycle.
 */
public final class LockOrder {
    private LockOrder() {
    }

    /** The positions of {@code items} in the order their executions are to be locked. */
    public static <T> List<Integer> byExecution(List<T> items, ToLongFunction<T> executionId) {
        return IntStream.range(0, items.size()).boxed()
                .sorted(Comparator.comparingLong(i -> executionId.applyAsLong(items.get(i)))).toList();
    }
}
