package io.attune.worker.action;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Reads an action's stderr as it comes: every line goes to the log (long lines in pieces), and the last bytes are
 * kept for the result of a failed run.
 */
final class StderrTail {
    private static final int MAX_LINE = 8192;

    private final int tailBytes;
    private final Consumer<String> log;
    private final ByteArrayOutputStream recent = new ByteArrayOutputStream();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    StderrTail(int tailBytes, Consumer<String> log) {
        this.tailBytes = tailBytes;
        this.log = log;
    }

    void readFrom(InputStream in) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                keep(buffer, n);
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        emitLine();
                    } else {
                        line.write(buffer[i]);
                        if (line.size() >= MAX_LINE) {
                            emitPiece();
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the stream was closed under us: what was read so far is all there is
        } finally {
            if (line.size() > 0) {
                emitLine();
            }
        }
    }

    /** The last {@code tailBytes} of stderr. */
    synchronized String tail() {
        byte[] all = recent.toByteArray();
        int from = Math.max(0, all.length - tailBytes);
        return Utf8.decode(java.util.Arrays.copyOfRange(all, from, all.length));
    }

    private synchronized void keep(byte[] buffer, int n) {
        recent.write(buffer, 0, n);
        if (recent.size() > 2 * tailBytes) {
            byte[] all = recent.toByteArray();
            recent.reset();
            recent.write(all, all.length - tailBytes, tailBytes);
        }
    }

    /** Logs the start of an overlong line, up to its last whole character; the rest begins the next piece. */
    private void emitPiece() {
        byte[] bytes = line.toByteArray();
        int cut = Utf8.wholeCharacters(bytes);
        line.reset();
        log.accept(Utf8.decode(java.util.Arrays.copyOf(bytes, cut)));
        line.write(bytes, cut, bytes.length - cut);
    }

    private void emitLine() {
        String text = Utf8.decode(line.toByteArray());
        line.reset();
        log.accept(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
    }
}
