package io.attune.cli.client;

import io.attune.model.json.Json;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The REST API as the command line uses it: JSON in and out with the suite's mapper, every error answer a
 * {@link Refused}, every failure to get an answer at all an {@link Unreachable}.
 */
public class ApiClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(90);

    private final String baseUrl;
    private final String token;
    private final HttpClient http;

    public ApiClient(String baseUrl, String token) {
        this.baseUrl = stripTrailingSlash(baseUrl);
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    public String token() {
        return token;
    }

    public JsonNode get(String path) {
        return send("GET", path, null, Map.of());
    }

    public JsonNode post(String path, Object body) {
        return send("POST", path, body, Map.of());
    }

    /** A POST with extra headers (an Idempotency-Key, say). */
    public JsonNode post(String path, Object body, Map<String, String> headers) {
        return send("POST", path, body, headers);
    }

    /**
     * A call to an endpoint that a server may not have yet (an older api-service): empty when the route is unknown
     * (404 or 405), so the caller can fall back; any other refusal is thrown as usual.
     */
    public Optional<JsonNode> postIfSupported(String path, Object body) {
        return ifSupported(() -> post(path, body));
    }

    public Optional<JsonNode> getIfSupported(String path) {
        return ifSupported(() -> get(path));
    }

    private static Optional<JsonNode> ifSupported(java.util.function.Supplier<JsonNode> call) {
        try {
            return Optional.of(call.get());
        } catch (Refused refused) {
            if (refused.status() == 404 || refused.status() == 405) {
                return Optional.empty();
            }
            throw refused;
        }
    }

    private JsonNode send(String method, String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new Unreachable("cannot reach " + baseUrl + " (" + describe(e) + ")", e);
        } catch (HttpTimeoutException e) {
            throw new Unreachable(baseUrl + " did not answer in " + REQUEST_TIMEOUT.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new Unreachable("cannot reach " + baseUrl + " (" + describe(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted while waiting for " + baseUrl, e);
        }
        if (response.statusCode() >= 400) {
            throw Refused.fromResponse(response.statusCode(), response.body());
        }
        String text = response.body();
        if (text == null || text.isBlank()) {
            return Json.object();
        }
        try {
            return Json.tree(text);
        } catch (RuntimeException e) {
            throw new Unreachable(baseUrl + " answered something that is not JSON: is it an Attune api-service?", e);
        }
    }

    private URI uri(String path) {
        try {
            return URI.create(baseUrl + path);
        } catch (IllegalArgumentException e) {
            throw new io.attune.cli.UsageException("not a usable server URL: " + baseUrl);
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** {@code ?a=1&b=x} from the entries whose value is not null, encoded. */
    public static String query(Map<String, ?> parameters) {
        StringJoiner joined = new StringJoiner("&", "?", "").setEmptyValue("");
        parameters.forEach((name, value) -> {
            if (value != null) {
                joined.add(name + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
            }
        });
        return joined.toString();
    }

    public static Map<String, Object> parameters() {
        return new LinkedHashMap<>();
    }
}
