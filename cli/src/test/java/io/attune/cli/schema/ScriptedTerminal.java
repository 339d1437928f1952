package io.attune.cli.schema;

import io.attune.cli.term.Terminal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** A person who types the given lines, in order; everything shown to them is kept. */
final class ScriptedTerminal implements Terminal {
    private final Deque<String> lines;
    private final StringBuilder screen = new StringBuilder();

    ScriptedTerminal(String... lines) {
        this.lines = new ArrayDeque<>(List.of(lines));
    }

    @Override
    public boolean interactive() {
        return true;
    }

    @Override
    public String readLine(String prompt) {
        screen.append(prompt);
        String line = lines.poll();
        screen.append(line == null ? "^D" : line).append('\n');
        return line;
    }

    @Override
    public char[] readSecret(String prompt) {
        screen.append(prompt).append('\n');
        String line = lines.poll();
        return line == null ? null : line.toCharArray();
    }

    @Override
    public void say(String text) {
        screen.append(text).append('\n');
    }

    String screen() {
        return screen.toString();
    }

    int unread() {
        return lines.size();
    }
}
