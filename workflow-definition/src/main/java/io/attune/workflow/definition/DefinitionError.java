package io.attune.workflow.definition;

/**
 * One thing wrong with a workflow definition, where a pack author can find it: the file (relative to the packs
 * directory), the 1-based line (0 when the file could not be read at all) and what is wrong.
 */
public record DefinitionError(String file, int line, String message) {

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
