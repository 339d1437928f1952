package io.attune.testsupport;

import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for Slack in tests: a real HTTP server on 127.0.0.1 that records what is POSTed to it (the incoming
 * webhook's messages, the response_url's updates) and answers 200 "ok", and the signing of interaction payloads
 * exactly as Slack signs them (form-encoded {@code payload=<json>}, {@code X-Slack-Signature: v0=<hex HMAC-SHA256 of
 * "v0:<timestamp>:<body>">}).
 */
public final class FakeSlack implements AutoCloseable {
    private final HttpServer server;
    private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();

    /** One POST: its path and body. */
    public record Received(String path, String body) {
    }

    /** An interaction request as Slack sends it: the form body and its two headers. */
    public record SignedRequest(String body, String timestamp, String signature) {
    }

    public FakeSlack() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                received.add(new Received(exchange.getRequestURI().getPath(),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            // /status/<code>/… answers that status (Slack's errors), everything else 200 "ok"
            String path = exchange.getRequestURI().getPath();
            int status = path.matches("/status/[0-9]{3}(/.*)?") ? Integer.parseInt(path.substring(8, 11)) : 200;
            byte[] ok = (status == 200 ? "ok" : "no_service").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        server.start();
    }

    /** {@code http://127.0.0.1:<port>} */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next POST to {@code path}, waiting up to {@code timeout}; others received meanwhile are kept. */
    public Received take(String path, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        List<Received> skipped = new java.util.ArrayList<>();
        try {
            while (System.nanoTime() < end) {
                Received next = received.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (next != null && next.path().equals(path)) {
                    return next;
                }
                if (next != null) {
                    skipped.add(next);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            received.addAll(skipped);
        }
        throw new AssertionError("nothing was POSTed to " + path + " within " + timeout + "; received " + skipped);
    }

    /** Whether anything was POSTed to {@code path} within {@code wait}. */
    public boolean nothingPosted(String path, Duration wait) {
        try {
            take(path, wait);
            return false;
        } catch (AssertionError e) {
            return true;
        }
    }

    /** A block_actions interaction body for {@code payloadJson}, signed with {@code signingSecret} at {@code at}. */
    public static SignedRequest sign(String signingSecret, String payloadJson, Instant at) {
        String body = "payload=" + URLEncoder.encode(payloadJson, StandardCharsets.UTF_8);
        String timestamp = String.valueOf(at.getEpochSecond());
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
            return new SignedRequest(body, timestamp, "v0=" + HexFormat.of().formatHex(digest));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A block_actions payload as Slack sends it for a click on one of Attune's buttons (the fields Attune reads, and
     * a few it does not, as Slack has them).
     */
    public static String blockActions(String slackUserId, String actionId, long inquiryId, String responseUrl) {
        return """
                {"type": "block_actions", "user": {"id": "%s", "username": "someone", "team_id": "T0001"},
                 "api_app_id": "A0001", "token": "legacy-verification-token", "container": {"type": "message",
                 "message_ts": "1700000000.000100", "channel_id": "C0001", "is_ephemeral": false},
                 "trigger_id": "1.2.3", "team": {"id": "T0001", "domain": "example"},
                 "channel": {"id": "C0001", "name": "approvals"},
                 "message": {"type": "message", "text": "Approval needed", "ts": "1700000000.000100",
                   "blocks": [{"type": "header", "block_id": "h", "text": {"type": "plain_text", "text": "Approval needed"}},
                              {"type": "section", "block_id": "p", "text": {"type": "mrkdwn", "text": "*Deploy?*"}},
                              {"type": "actions", "block_id": "attune_decision", "elements": []}]},
                 "response_url": "%s",
                 "actions": [{"action_id": "%s", "block_id": "attune_decision", "value": "%d", "type": "button",
                              "action_ts": "1700000001.000200", "text": {"type": "plain_text", "text": "Approve"}}]}
                """.formatted(slackUserId, responseUrl, actionId, inquiryId);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
