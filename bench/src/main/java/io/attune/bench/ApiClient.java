package io.attune.bench;

import io.attune.model.json.Json;
import io.attune.model.rest.CreateIdentityRequest;
import io.attune.model.rest.IdentityView;
import io.attune.model.rest.LoginRequest;
import io.attune.model.rest.RespondRequest;
import io.attune.model.rest.TokenResponse;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * api-service over HTTP/1.1 with keep-alive, as a script or a CLI would call it: one {@link HttpClient} (thread-safe,
 * a pool of connections) shared by every caller.
 */
public final class ApiClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String base;
    private final HttpClient http;

    public ApiClient(String base) {
        this.base = base;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public HttpClient http() {
        return http;
    }

    /** {@code POST /auth/login}: the token and who it belongs to. */
    public TokenResponse login(String login, String password) {
        HttpResponse<String> response = send(post("/auth/login", null, Json.write(new LoginRequest(login, password))));
        require(response, 200, "log in as " + login);
        return Json.convert(Json.tree(response.body()).path("data"), TokenResponse.class);
    }

    /** {@code POST /api/v1/identities} as an admin; returns the new identity. */
    public IdentityView createIdentity(String adminToken, String login, String password) {
        CreateIdentityRequest request = new CreateIdentityRequest(login, password, "Bench " + login, List.of("user"));
        HttpResponse<String> response = send(post("/api/v1/identities", adminToken, Json.write(request)));
        require(response, 201, "create identity " + login);
        return Json.convert(Json.tree(response.body()).path("data"), IdentityView.class);
    }

    /** The request answering an inquiry, built ahead so that only sending it is timed. */
    public HttpRequest respondRequest(String token, long inquiryId, JsonNode response) {
        return post("/api/v1/inquiries/" + inquiryId + "/respond", token, Json.write(new RespondRequest(response)));
    }

    /** {@code GET <pathAndQuery>} with a token. */
    public HttpRequest get(String token, String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token).GET().build();
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    HttpRequest post(String path, String token, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.build();
    }

    private static void require(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("could not " + what + ": " + response.statusCode() + " " + response.body());
        }
    }
}
