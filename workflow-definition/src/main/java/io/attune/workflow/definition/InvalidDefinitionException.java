package io.attune.workflow.definition;

import java.util.List;
import java.util.stream.Collectors;

/** A workflow definition that cannot be run, with every problem found in it (not only the first). */
public class InvalidDefinitionException extends RuntimeException {
    private final List<DefinitionError> errors;

    public InvalidDefinitionException(List<DefinitionError> errors) {
        super(errors.stream().map(DefinitionError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<DefinitionError> errors() {
        return errors;
    }
}
