package io.attune.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * A webhook receiver on a real HTTP port that checks every request as the Standard Webhooks specification tells a
 * consumer to: the three headers present, the timestamp within five minutes, and one of the space-delimited
 * {@code v1,<base64>} signatures equal (in constant time) to the HMAC-SHA256 of {@code "<id>.<timestamp>.<body>"}
 * keyed with the base64 after {@code whsec_}. It can be taken down (connections refused) and brought back on the
 * same port, or made to answer slowly or with an error.
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    /** One request as received. {@code answered} is the status it got (0: none, it was too slow for the sender). */
    public record Received(String id, String timestamp, String signature, String body, boolean valid, int answered,
                           Instant at) {
    }

    private final byte[] key;
    private final int port;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> acceptedById = new ConcurrentHashMap<>();
    private volatile HttpServer server;
    private volatile int status = 200;
    private volatile Duration delay = Duration.ZERO;

    public WebhookReceiver(String secret) {
        this(secret, 0);
    }

    public WebhookReceiver(String secret, int port) {
        this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        this.server = start(port);
        this.port = server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/hooks";
    }

    public int port() {
        return port;
    }

    /** Refuses connections from now on (the server is stopped). */
    public synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Listens again on the same port. */
    public synchronized void up() {
        if (server == null) {
            server = start(port);
        }
    }

    /** The status the receiver answers valid requests with (200 by default). */
    public void answer(int status) {
        this.status = status;
    }

    /** How long it waits before answering. */
    public void delay(Duration delay) {
        this.delay = delay;
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    /** Requests with a valid signature that were answered 2xx, by webhook-id: how many times each was accepted. */
    public Map<String, Integer> accepted() {
        return Map.copyOf(acceptedById);
    }

    /** Bodies of the accepted requests, one per webhook-id (the first accepted). */
    public List<Received> acceptedRequests() {
        Map<String, Received> first = new java.util.LinkedHashMap<>();
        for (Received r : received) {
            if (r.valid() && r.answered() >= 200 && r.answered() < 300) {
                first.putIfAbsent(r.id(), r);
            }
        }
        return new ArrayList<>(first.values());
    }

    public List<Received> invalid() {
        return received.stream().filter(r -> !r.valid()).collect(Collectors.toList());
    }

    @Override
    public void close() {
        down();
    }

    private HttpServer start(int wanted) {
        try {
            HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 50);
            created.setExecutor(Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "webhook-receiver");
                thread.setDaemon(true);
                return thread;
            }));
            created.createContext("/", this::handle);
            created.start();
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            String body = new String(bytes, StandardCharsets.UTF_8);
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
            boolean valid = verify(id, timestamp, signature, bytes);
            long wait = delay.toMillis();
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int answer = valid ? status : 400;
            try {
                exchange.sendResponseHeaders(answer, -1);
            } catch (IOException gone) {
                answer = 0;  // the sender gave up waiting
            }
            if (valid && answer >= 200 && answer < 300) {
                acceptedById.merge(id, 1, Integer::sum);
            }
            received.add(new Received(id, timestamp, signature, body, valid, answer, Instant.now()));
        }
    }

    /** Standard Webhooks' verification, as a consumer makes it. */
    public boolean verify(String id, String timestamp, String signatures, byte[] body) {
        if (id == null || timestamp == null || signatures == null) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Duration.between(Instant.ofEpochSecond(seconds), Instant.now()).abs().compareTo(TOLERANCE) > 0) {
            return false;
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            expected = Base64.getEncoder().encode(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        for (String versioned : signatures.split(" ")) {
            int comma = versioned.indexOf(',');
            if (comma > 0 && versioned.substring(0, comma).equals("v1") && MessageDigest.isEqual(expected,
                    versioned.substring(comma + 1).getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }
}
