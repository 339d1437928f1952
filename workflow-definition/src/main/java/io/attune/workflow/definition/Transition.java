package io.attune.workflow.definition;

import java.util.List;

/**
 * One entry of a task's {@code next}: when {@code when} holds (or always, without one) the tasks in {@code targets}
 * run next.
 */
public record Transition(Expression when, List<String> targets, int line) {

    public boolean unconditional() {
        return when == null;
    }
}
