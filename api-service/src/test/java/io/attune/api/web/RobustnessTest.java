package io.attune.api.web;

import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.core.inquiry.Inquiry;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a careless or hostile client can send, and the public endpoints. */
class RobustnessTest extends ApiIntegrationTest {
    static final int MIB = 1024 * 1024;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
    }

    static String responseOfSize(int bytes) {
        String head = "{\"response\": {\"approved\": true, \"comments\": \"";
        String tail = "\"}}";
        return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
    }

    @Test
    void bodiesOverOneMebibyteAreTooLarge() {
        Inquiry inquiry = openInquiry(null, null, null);
        String token = token(identity());
        String path = "/api/v1/inquiries/" + inquiry.id() + "/respond";

        assertError(api().post(path, token, responseOfSize(MIB + 1)), 413, "PAYLOAD_TOO_LARGE");
        byte[] chunked = responseOfSize(MIB + 100).getBytes(StandardCharsets.UTF_8);
        assertError(api().send(api().request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(chunked))).build()),
                413, "PAYLOAD_TOO_LARGE");
        assertError(api().post("/auth/login", null, "{\"login\": \"" + "a".repeat(MIB) + "\"}"), 413,
                "PAYLOAD_TOO_LARGE");
        assertThat(api().get("/api/v1/inquiries/" + inquiry.id(), token).data().get("status").asString())
                .isEqualTo("pending");

        // a body under 1 MiB passes the filter; an answer over 64 KiB is still refused, by the answer's own limit
        byte[] bodyFitsAnswerDoesNot = responseOfSize(MIB - 10).getBytes(StandardCharsets.UTF_8);
        assertError(api().send(api().request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bodyFitsAnswerDoesNot)))
                .build()), 413, "PAYLOAD_TOO_LARGE");
        byte[] fits = responseOfSize(60 * 1024).getBytes(StandardCharsets.UTF_8);
        Response accepted = api().send(api().request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(fits))).build());
        assertThat(accepted.status()).as("%s", accepted.status()).isEqualTo(200);
        assertThat(accepted.data().get("response").get("comments").asString().length()).isGreaterThan(60 * 1024 - 100);
    }

    @Test
    void clientMistakesAreFourHundredsWithTheContractsBody() {
        String token = token(identity());
        assertError(api().get("/api/v1/no-such-thing", token), 404, "NOT_FOUND");
        assertError(api().get("/api/v1/inquiries/1/nothing-here", token), 404, "NOT_FOUND");

        Response wrongMethod = api().send(api().request("/api/v1/inquiries", token).DELETE().build());
        assertError(wrongMethod, 405, "BAD_REQUEST");
        assertThat(wrongMethod.headers().firstValue("Allow")).isPresent();

        Response wrongType = api().send(api().request("/api/v1/executions", token)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("a.b")).build());
        assertError(wrongType, 415, "BAD_REQUEST");

        Response xml = api().send(api().request("/api/v1/no-such-thing", token).header("Accept", "text/html").GET()
                .build());
        assertError(xml, 404, "NOT_FOUND");
        Response htmlOnly = api().send(api().request("/api/v1/inquiries?page=x", token)
                .header("Accept", "application/xml").GET().build());
        assertError(htmlOnly, 400, "BAD_REQUEST");

        JsonNode malformed = assertError(api().post("/api/v1/executions", token, "{\"action_ref\": 'single'}"), 400,
                "BAD_REQUEST");
        assertThat(malformed.get("error").asString()).contains("not valid JSON");
        JsonNode shape = assertError(api().post("/api/v1/executions", token, "{\"action_ref\": [\"a.b\"]}"), 400,
                "BAD_REQUEST");
        assertThat(shape.get("details").get(0).get("path").asString()).isEqualTo("/action_ref");
    }

    @Test
    void urlsTheFirewallRejectsAreBadRequestsNotServerErrors() {
        String token = token(identity());
        assertError(api().get("/api/v1/inquiries/%2e%2e/1", token), 400, "BAD_REQUEST");
        assertError(api().get("/api/v1/inquiries;jsessionid=1", token), 400, "BAD_REQUEST");
        assertError(api().get("/api/v1//inquiries", token), 400, "BAD_REQUEST");
    }

    @Test
    void requestsTomcatRefusesItselfGetTheContractsBodyToo() throws Exception {
        String token = token(identity());
        for (String request : List.of("GET /api/v1/inquiries/%zz HTTP/1.1", "GET /api/v1/inquiries/1%00 HTTP/1.1",
                "GET /api/v1/inquiries/%2F HTTP/1.1")) {
            String response = raw(request, "Authorization: Bearer " + token);
            assertThat(response).startsWith("HTTP/1.1 400").contains("application/json")
                    .contains("\"code\":\"BAD_REQUEST\"").doesNotContain("<html", "Exception");
        }
        String hugeHeader = raw("GET /api/v1/inquiries HTTP/1.1", "X-Padding: " + "a".repeat(20_000));
        assertThat(hugeHeader).startsWith("HTTP/1.1 400").contains("\"code\":\"BAD_REQUEST\"")
                .doesNotContain("<html");
    }

    /** A request line and headers java.net.http would refuse to send, straight over a socket. */
    String raw(String requestLine, String header) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + "\r\nHost: localhost\r\n" + header + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void healthStatusAndTheApiDocumentArePublicMetricsAreForAdmins() {
        Response health = api().get("/actuator/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        String admin = token(admin());
        assertThat(api().get("/actuator/health", admin).json().get("components").propertyNames())
                .contains("db", "rabbit");

        Response metrics = api().get("/actuator/prometheus", admin);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("attune_outbox_published", "http_server_requests");

        Response docs = api().get("/v3/api-docs", null);
        assertThat(docs.status()).isEqualTo(200);
        JsonNode paths = docs.json().get("paths");
        assertThat(paths.propertyNames()).contains("/auth/login", "/api/v1/inquiries", "/api/v1/inquiries/{id}",
                "/api/v1/inquiries/{id}/respond", "/api/v1/inquiries/{id}/cancel", "/api/v1/inquiries/{id}/history",
                "/api/v1/executions", "/api/v1/executions/{id}", "/api/v1/identities", "/api/v1/identities/{id}",
                "/api/v1/groups", "/api/v1/groups/{name}", "/api/v1/me", "/auth/logout");
        assertThat(docs.body()).contains("\"per_page\"", "\"action_ref\"", "\"access_token\"", "bearer")
                .doesNotContain("\"perPage\"", "\"actionRef\"");

        Response ui = api().get("/swagger-ui/index.html", null);
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).containsIgnoringCase("swagger");
        assertThat(api().get("/swagger-ui.html", null).status()).isIn(200, 302);
    }

    @Test
    void theStaticUiIsServedWithoutAToken() {
        Response file = api().get("/app/test-probe.txt", null);
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.body()).contains("served without a token");
        assertThat(api().get("/", null).status()).isNotEqualTo(401);
        assertError(api().get("/app/missing.js", null), 404, "NOT_FOUND");
    }

    @Test
    void theErrorPageItselfAnswersJson() {
        assertError(api().get("/error", null), 404, "NOT_FOUND");
    }
}
