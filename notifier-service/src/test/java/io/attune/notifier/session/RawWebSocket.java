package io.attune.notifier.session;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a bare TCP socket with a tiny receive buffer, for a client that completes the handshake and
 * then simply stops reading — the one thing the JDK's client cannot be made to do reliably.
 */
final class RawWebSocket implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    /** What was read after the handshake: the text messages, then the close frame's code and reason. */
    record Transcript(List<String> texts, int closeCode, String closeReason) {
    }

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawWebSocket open(int port, String token) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096); // before connecting, so that the advertised window stays small
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        RawWebSocket client = new RawWebSocket(socket);
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        client.out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        client.out.flush();
        StringBuilder headers = new StringBuilder();
        while (!headers.toString().endsWith("\r\n\r\n")) {
            headers.append((char) client.in.readUnsignedByte());
        }
        if (!headers.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + headers);
        }
        return client;
    }

    /** Sends a text frame (masked, as every client frame must be). */
    void sendText(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        if (payload.length > 125) {
            throw new IllegalArgumentException("short messages only");
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        frame.write(0x80 | payload.length);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** Reads the next {@code count} text messages (fails on a timeout, or if a close frame comes first). */
    List<String> readTexts(int count, Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        List<String> texts = new ArrayList<>();
        while (texts.size() < count) {
            Transcript closed = read(texts, count);
            if (closed != null) {
                throw new IOException("closed after " + texts.size() + " messages: " + closed);
            }
        }
        return texts;
    }

    /** Reads everything up to the close frame (fails on a timeout or if the connection ends without one). */
    Transcript readUntilClose(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        return read(new ArrayList<>(), Integer.MAX_VALUE);
    }

    /** Reads frames into {@code texts} until it holds {@code count} messages (null) or a close frame comes. */
    private Transcript read(List<String> texts, int count) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (texts.size() < count) {
            int first = in.readUnsignedByte();
            boolean fin = (first & 0x80) != 0;
            int opcode = first & 0x0F;
            int second = in.readUnsignedByte();
            long length = second & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            if (opcode == 0x8) {
                int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                String reason = payload.length > 2
                        ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                return new Transcript(texts, code, reason);
            }
            if (opcode == 0x1 || opcode == 0x0) { // text, or a continuation of it
                message.write(payload);
                if (fin) {
                    texts.add(message.toString(StandardCharsets.UTF_8));
                    message.reset();
                }
            }
            // pings (0x9) need no answer here
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
