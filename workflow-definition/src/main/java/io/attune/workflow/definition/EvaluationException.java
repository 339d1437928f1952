package io.attune.workflow.definition;

/** An expression that compiled but could not be evaluated on this run's values (a missing key, a wrong type). */
public class EvaluationException extends RuntimeException {
    public EvaluationException(String message) {
        super(message);
    }
}
