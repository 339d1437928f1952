package io.attune.worker.action;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Collects an action's stdout up to a limit; going past it calls {@code onOverflow} (which stops the action). */
final class OutputCapture {
    private final long limit;
    private final Runnable onOverflow;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private volatile boolean overflowed;

    OutputCapture(long limit, Runnable onOverflow) {
        this.limit = limit;
        this.onOverflow = onOverflow;
    }

    void readFrom(InputStream in) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                synchronized (this) {
                    long room = limit - bytes.size();
                    bytes.write(buffer, 0, (int) Math.min(n, room));
                    overflowed = n > room;
                }
                if (overflowed) {
                    onOverflow.run();
                    return;
                }
            }
        } catch (IOException e) {
            // the stream was closed under us: what was read so far is all there is
        }
    }

    boolean overflowed() {
        return overflowed;
    }

    synchronized byte[] bytes() {
        return bytes.toByteArray();
    }

    /** The first {@code max} bytes as text, for error reports. */
    synchronized String head(int max) {
        byte[] all = bytes.toByteArray();
        return Utf8.decode(Arrays.copyOf(all, Math.min(all.length, max)));
    }
}
