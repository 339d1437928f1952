package io.attune.worker.action;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StderrTailTest {

    @Test
    void logsLinesAndKeepsTheLastBytesWithoutACharacterCutInHalf() {
        List<String> logged = new ArrayList<>();
        StderrTail tail = new StderrTail(4096, logged::add);
        String accents = "\u00e9".repeat(3000);

        tail.readFrom(stream("first line\r\n" + accents + "\nlast line"));

        assertThat(logged).containsExactly("first line", accents, "last line");
        assertThat(tail.tail()).doesNotContain("\uFFFD").endsWith("\u00e9\nlast line");
        assertThat(tail.tail().getBytes(StandardCharsets.UTF_8).length).isBetween(4095, 4096);
    }

    @Test
    void logsOverlongLinesInPiecesSplitBetweenCharacters() {
        List<String> logged = new ArrayList<>();
        StderrTail tail = new StderrTail(4096, logged::add);
        String line = "z" + "\u20ac".repeat(10_000);

        tail.readFrom(stream(line));

        assertThat(logged).hasSizeGreaterThan(1).allSatisfy(piece ->
                assertThat(piece.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(8192));
        assertThat(String.join("", logged)).isEqualTo(line);
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
