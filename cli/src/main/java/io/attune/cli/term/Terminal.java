package io.attune.cli.term;

/** The person at the keyboard, when there is one: questions are asked only through this. */
public interface Terminal {

    /** True when a person can answer (stdin and stdout are a terminal). */
    boolean interactive();

    /** One line typed after {@code prompt}; null at the end of input (Ctrl-D). */
    String readLine(String prompt);

    /** A secret typed without echo; null at the end of input. */
    char[] readSecret(String prompt);

    /** Text for the person (questions, hints, errors met while asking), flushed at once. */
    void say(String text);
}
