package io.attune.executor.workflow;

import io.attune.core.workflow.WorkflowRepository;
import io.attune.workflow.definition.WorkflowDefinition;
import io.attune.workflow.definition.WorkflowParser;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Workflow definitions parsed and their expressions compiled once, by checksum of the source a run started with:
 * every step of every run of one definition uses the same compiled expressions.
 */
@Component
class CompiledDefinitions {
    private static final int CAPACITY = 512;

    private final Map<String, WorkflowDefinition> byChecksum = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, WorkflowDefinition> eldest) {
            return size() > CAPACITY;
        }
    };

    /** The run's definition; throws InvalidDefinitionException if it no longer parses (it did when registered). */
    WorkflowDefinition of(WorkflowRepository.Run run) {
        synchronized (byChecksum) {
            WorkflowDefinition cached = byChecksum.get(run.checksum());
            if (cached != null) {
                return cached;
            }
        }
        WorkflowDefinition parsed = WorkflowParser.parse(run.ref(), run.file(), run.source());
        synchronized (byChecksum) {
            byChecksum.put(run.checksum(), parsed);
        }
        return parsed;
    }

    int size() {
        synchronized (byChecksum) {
            return byChecksum.size();
        }
    }
}
