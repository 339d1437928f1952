package io.attune.api;

import io.attune.model.json.Json;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Real HTTP to the service under test (java.net.http), with just enough sugar to keep tests readable. */
public final class ApiClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;

    public ApiClient(int port) {
        this.port = port;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public Response get(String path, String token) {
        return send(request(path, token).GET().build());
    }

    public Response post(String path, String token, String json) {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public Response post(String path, String token, String json, Map<String, String> headers) {
        HttpRequest.Builder builder = request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(builder::header);
        return send(builder.build());
    }

    public HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Logs in through the API and returns the access token. */
    public String login(String login, String password) {
        Response response = post("/auth/login", null,
                Json.write(Map.of("login", login, "password", password)));
        if (response.status() != 200) {
            throw new AssertionError("login failed: " + response);
        }
        return response.json().get("data").get("access_token").asString();
    }

    public record Response(int status, String body, HttpHeaders headers) {
        public JsonNode json() {
            return Json.tree(body);
        }

        /** The contract's error code of an error body. */
        public String code() {
            return json().path("code").asString();
        }

        public JsonNode data() {
            return json().get("data");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
