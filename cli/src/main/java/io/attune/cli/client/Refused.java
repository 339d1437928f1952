package io.attune.cli.client;

import io.attune.model.json.Json;
import io.attune.model.rest.ApiError.ErrorDetail;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The server answered with an error (exit 1). The body is read leniently — {@code code} stays a string — so that
 * codes this client does not know yet (a newer server's) still come through as the server wrote them.
 */
public class Refused extends RuntimeException {
    private final int status;
    private final String code;
    private final List<ErrorDetail> details;
    private final boolean local;

    public Refused(int status, String code, String message, List<ErrorDetail> details) {
        this(status, code, message, details, false);
    }

    private Refused(int status, String code, String message, List<ErrorDetail> details, boolean local) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = List.copyOf(details);
        this.local = local;
    }

    /** From an error answer; a body that is not the suite's error shape still gives a readable message. */
    static Refused fromResponse(int status, String body) {
        JsonNode error = null;
        try {
            error = body == null || body.isBlank() ? null : Json.tree(body);
        } catch (RuntimeException notJson) {
            // a proxy's HTML page, say: fall through to the status alone
        }
        if (error == null || !error.isObject() || !error.has("error")) {
            return new Refused(status, null, "HTTP " + status, List.of());
        }
        List<ErrorDetail> details = new ArrayList<>();
        for (JsonNode detail : error.path("details")) {
            details.add(new ErrorDetail(detail.path("path").asString(""), detail.path("message").asString("")));
        }
        String code = error.path("code").isString() ? error.path("code").asString() : null;
        return new Refused(status, code, error.path("error").asString(), details);
    }

    /** There is no token for this server: the user has to log in first. */
    public static Refused notLoggedIn(String url) {
        return new Refused(401, "UNAUTHORIZED", "not logged in" + (url == null ? "" : " to " + url)
                + ": run `attune login` (or set ATTUNE_TOKEN)", List.of(), true);
    }

    /** Decided here, without asking the server (no token to send). */
    public boolean isLocal() {
        return local;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<ErrorDetail> details() {
        return details;
    }

    /** What a script gets with {@code -o json}: the server's error shape plus the HTTP status. */
    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("error", getMessage());
        json.put("code", code);
        json.put("status", status);
        json.set("details", Json.mapper().valueToTree(details));
        return json;
    }
}
