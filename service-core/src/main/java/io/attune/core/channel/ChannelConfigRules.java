package io.attune.core.channel;

import io.attune.model.json.Json;
import io.attune.model.rest.ApiError.ErrorDetail;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each channel type's {@code config} holds, which of it is secret, and how a change is merged: the one place
 * the API and the senders agree on it (docs/channels.md, "Channel types").
 *
 * <ul>
 *   <li>webhook: {@code {"url", "secret"?}}; {@code secret} is {@code whsec_} + base64 of 24 to 64 bytes, made up
 *       when absent;</li>
 *   <li>email: {@code {"subject_prefix"?}};</li>
 *   <li>slack: {@code {"webhook_url", "signing_secret"}}.</li>
 * </ul>
 * A secret is never shown after the answer to the request that set it: {@link #MASK} stands in its place, and a
 * change that sends {@link #MASK} back (or leaves the key out) keeps the stored secret.
 */
public final class ChannelConfigRules {
    public static final String MASK = "********";
    public static final Set<String> TYPES = Set.of("webhook", "email", "slack");
    public static final String WEBHOOK_SECRET_PREFIX = "whsec_";
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "webhook", Set.of("url", "secret"),
            "email", Set.of("subject_prefix"),
            "slack", Set.of("webhook_url", "signing_secret"));
    private static final Map<String, Set<String>> SECRETS = Map.of(
            "webhook", Set.of("secret"),
            "email", Set.of(),
            "slack", Set.of("signing_secret"));
    private static final SecureRandom RANDOM = new SecureRandom();

    private ChannelConfigRules() {
    }

    /** The names of {@code type}'s secret settings. */
    public static Set<String> secrets(String type) {
        return SECRETS.getOrDefault(type, Set.of());
    }

    /** {@code config} with every secret of {@code type} replaced by {@link #MASK}. */
    public static JsonNode masked(String type, JsonNode config) {
        if (config == null || !config.isObject()) {
            return config;
        }
        ObjectNode copy = (ObjectNode) config.deepCopy();
        for (String secret : secrets(type)) {
            if (copy.has(secret)) {
                copy.put(secret, MASK);
            }
        }
        return copy;
    }

    /**
     * The config to store for {@code given} (a new channel when {@code stored} is null): secrets left out or sent
     * back as {@link #MASK} keep their stored value, a webhook without a secret gets a new one. Every problem is
     * added to {@code problems} (paths under {@code /config}); the result is meaningless if any was.
     */
    public static ObjectNode normalise(String type, JsonNode given, JsonNode stored, List<ErrorDetail> problems) {
        ObjectNode config = Json.mapper().createObjectNode();
        if (given == null || given.isNull()) {
            given = Json.mapper().createObjectNode();
        }
        if (!given.isObject()) {
            problems.add(new ErrorDetail("/config", "config must be an object"));
            return config;
        }
        Set<String> allowed = FIELDS.getOrDefault(type, Set.of());
        for (Map.Entry<String, JsonNode> field : given.properties()) {
            if (!allowed.contains(field.getKey())) {
                problems.add(new ErrorDetail("/config/" + field.getKey(),
                        "a " + type + " channel's config has only " + String.join(", ", allowed.stream().sorted().toList())));
            } else if (!field.getValue().isNull()) {
                config.set(field.getKey(), field.getValue());
            }
        }
        for (String secret : secrets(type)) {
            JsonNode value = config.get(secret);
            if ((value == null || (value.isString() && MASK.equals(value.asString()))) && stored != null
                    && stored.has(secret)) {
                config.set(secret, stored.get(secret));
            } else if (value != null && value.isString() && MASK.equals(value.asString())) {
                config.remove(secret);
            }
        }
        switch (type) {
            case "webhook" -> {
                url(config, "url", false, problems);
                if (!config.has("secret")) {
                    config.put("secret", newWebhookSecret());
                } else {
                    webhookSecret(config.get("secret"), problems);
                }
            }
            case "email" -> {
                JsonNode prefix = config.get("subject_prefix");
                if (prefix != null && (!prefix.isString() || prefix.asString().length() > 100
                        || prefix.asString().matches("(?s).*[\\r\\n].*"))) {
                    problems.add(new ErrorDetail("/config/subject_prefix", "subject_prefix must be one line of at "
                            + "most 100 characters"));
                }
            }
            case "slack" -> {
                // https, as Slack's hooks are; plain http only to this host (a local relay, a test's receiver)
                url(config, "webhook_url", !loopback(config.get("webhook_url")), problems);
                JsonNode secret = config.get("signing_secret");
                if (secret == null || !secret.isString() || secret.asString().isBlank()
                        || secret.asString().length() > 200) {
                    problems.add(new ErrorDetail("/config/signing_secret", "signing_secret is required: the Slack "
                            + "app's signing secret"));
                }
            }
            default -> {
            }
        }
        return config;
    }

    /** A new webhook secret: {@code whsec_} + base64 of 32 random bytes. */
    public static String newWebhookSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return WEBHOOK_SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The HMAC key a {@code whsec_} secret stands for; throws IllegalArgumentException for anything else. */
    public static byte[] webhookKey(String secret) {
        if (secret == null || !secret.startsWith(WEBHOOK_SECRET_PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with whsec_");
        }
        return Base64.getDecoder().decode(secret.substring(WEBHOOK_SECRET_PREFIX.length()));
    }

    private static void webhookSecret(JsonNode secret, List<ErrorDetail> problems) {
        String reason = null;
        if (!secret.isString()) {
            reason = "secret must be a string";
        } else {
            try {
                int length = webhookKey(secret.asString()).length;
                if (length < 24 || length > 64) {
                    reason = "secret's key must be 24 to 64 bytes, not " + length;
                }
            } catch (IllegalArgumentException e) {
                reason = "secret must be whsec_ followed by the base64 of a 24 to 64 byte key";
            }
        }
        if (reason != null) {
            problems.add(new ErrorDetail("/config/secret", reason));
        }
    }

    private static boolean loopback(JsonNode url) {
        if (url == null || !url.isString()) {
            return false;
        }
        try {
            String host = new URI(url.asString()).getHost();
            return "127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host);
        } catch (Exception e) {
            return false;
        }
    }

    private static void url(ObjectNode config, String key, boolean httpsOnly, List<ErrorDetail> problems) {
        JsonNode value = config.get(key);
        String problem = null;
        if (value == null) {
            problem = key + " is required";
        } else if (!value.isString() || value.asString().length() > 2048) {
            problem = key + " must be a URL of at most 2048 characters";
        } else {
            try {
                URI uri = new URI(value.asString());
                boolean scheme = httpsOnly ? "https".equals(uri.getScheme())
                        : "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
                if (!scheme || uri.getHost() == null) {
                    problem = key + " must be an absolute " + (httpsOnly ? "https" : "http(s)") + " URL";
                }
            } catch (Exception e) {
                problem = key + " is not a URL";
            }
        }
        if (problem != null) {
            problems.add(new ErrorDetail("/config/" + key, problem));
        }
    }

    static List<String> sorted(Set<String> names) {
        return new ArrayList<>(names).stream().sorted().toList();
    }
}
