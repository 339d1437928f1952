package io.attune.cli.term;

import java.io.Console;

/** The JVM's console: present only when stdin and stdout are a terminal, which is when we may ask. */
public final class ConsoleTerminal implements Terminal {
    private final Console console = System.console();

    @Override
    public boolean interactive() {
        return console != null;
    }

    @Override
    public String readLine(String prompt) {
        requireConsole();
        return console.readLine("%s", prompt);
    }

    @Override
    public char[] readSecret(String prompt) {
        requireConsole();
        return console.readPassword("%s", prompt);
    }

    @Override
    public void say(String text) {
        requireConsole();
        console.writer().println(text);
        console.flush();
    }

    private void requireConsole() {
        if (console == null) {
            throw new IllegalStateException("no terminal");
        }
    }
}
