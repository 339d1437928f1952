package io.attune.worker.action;

import java.nio.charset.StandardCharsets;

/** Decoding cut-off UTF-8 (the head or tail of an output) without a broken character at the cut. */
final class Utf8 {
    private Utf8() {
    }

    /** The bytes as text, less a character cut in half at either end. */
    static String decode(byte[] bytes) {
        int start = 0;
        while (start < bytes.length && start < 3 && isContinuation(bytes[start])) {
            start++;
        }
        int end = Math.max(start, wholeCharacters(bytes));
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }

    /** How many leading bytes hold whole characters: all of them, unless the last character is cut. */
    static int wholeCharacters(byte[] bytes) {
        int end = bytes.length;
        int lead = end - 1;
        while (lead >= 0 && lead > end - 4 && isContinuation(bytes[lead])) {
            lead--;
        }
        if (lead >= 0 && end - lead < expectedLength(bytes[lead])) {
            return lead;
        }
        return end;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    private static int expectedLength(byte lead) {
        if ((lead & 0x80) == 0) {
            return 1;
        } else if ((lead & 0xE0) == 0xC0) {
            return 2;
        } else if ((lead & 0xF0) == 0xE0) {
            return 3;
        }
        return 4;
    }
}
