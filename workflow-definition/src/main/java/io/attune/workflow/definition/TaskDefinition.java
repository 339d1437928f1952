package io.attune.workflow.definition;

import java.util.List;

/**
 * A task of a workflow: it runs an action ({@code action} with its {@code input}) or asks a person ({@code inquiry},
 * the fields of an action's {@code __inquiry}); then its {@code next} entries decide what follows. With
 * {@code join: all} it runs once every task that names it in a {@code next} has arrived.
 */
public record TaskDefinition(String name, int line, Kind kind, String action, Template input, Template inquiry,
                             List<Transition> next, boolean joinAll) {

    public enum Kind { ACTION, INQUIRY }
}
