package io.attune.core.external;

import io.attune.core.StorableJson;
import io.attune.core.error.DomainException;
import io.attune.core.execution.Execution;
import io.attune.core.execution.ExecutionRepository;
import io.attune.core.identity.Actor;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.InquiryLimits;
import io.attune.core.inquiry.InquiryRepository;
import io.attune.core.inquiry.InquiryRequestValidator;
import io.attune.core.inquiry.InquiryTemplates;
import io.attune.core.inquiry.InquiryTransitions;
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.json.Json;
import io.attune.model.rest.ApiError.ErrorDetail;
import io.attune.model.rest.ErrorCode;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Approval requests from outside the suite ({@code POST /api/v1/inquiries}, docs/external-requests.md): the body is an
 * {@code __inquiry} (every field of {@link InquiryRequest}, checked by the same {@link InquiryRequestValidator}) plus
 * {@code context} and {@code callback}. One transaction records an execution {@code external.request} requested by
 * the caller, opens its inquiry through {@link InquiryTransitions#open} — the execution {@code paused} with the
 * context as its result, InquiryCreated and ExecutionStatusChanged in the outbox, the audit entry — and keeps the
 * callback in {@code attune.external_request}. No ExecutionRequested is ever published: no worker runs it. From then
 * on it is an inquiry like any other: answered, timed out or cancelled as usual, and the executor's resume completes
 * the execution with {@code __inquiry} added to the context.
 */
@Service
public class ExternalRequests {
    /** The action_ref of the executions recorded for these requests. */
    public static final String ACTION_REF = io.attune.core.execution.ExecutionTransitions.EXTERNAL_REQUEST;
    /** The context's size, as UTF-8 bytes of its compact JSON. */
    public static final int CONTEXT_MAX_BYTES = 256 * 1024;
    /** The context's nesting of objects and arrays. */
    public static final int CONTEXT_MAX_DEPTH = 32;
    public static final int IDEMPOTENCY_KEY_MAX_CHARS = 200;
    static final int CALLBACK_URL_MAX_CHARS = 2048;
    /** Standard Webhooks: {@code whsec_} and the base64 of a key of 24 to 64 bytes. */
    static final String SECRET_PREFIX = "whsec_";
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1," + IDEMPOTENCY_KEY_MAX_CHARS + "}");
    private static final Set<String> OWN_FIELDS = Set.of("context", "callback");

    private final InquiryRequestValidator validator;
    private final InquiryTransitions transitions;
    private final ExecutionRepository executions;
    private final InquiryRepository inquiries;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    public ExternalRequests(InquiryRequestValidator validator, InquiryTransitions transitions,
                            ExecutionRepository executions, InquiryRepository inquiries, JdbcClient jdbc,
                            TransactionTemplate transactions) {
        this.validator = validator;
        this.transitions = transitions;
        this.executions = executions;
        this.inquiries = inquiries;
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** What a request made: the inquiry, and whether it was made before (the same Idempotency-Key and body). */
    public record Created(Inquiry inquiry, boolean replayed) {
    }

    /** A callback as stored, for the delivery of the inquiry's decision. */
    public record Callback(long execution, long inquiry, String url, String secret) {
        /**
         * The deliveries' {@code target_key} (no channel): one per request, so the decision is delivered once per
         * event and the request's delivery log is one index range.
         */
        public String targetKey() {
            return targetKey(execution);
        }

        static String targetKey(long execution) {
            return "callback:" + execution;
        }
    }

    /**
     * Checks and records one request. 400 for a body that is not an object, an unknown field or a bad
     * Idempotency-Key; 413 for a prompt, schema or context over its limit; 422 for anything the validator refuses,
     * a bad context or callback (every problem listed, as JSON pointers into the body); 409 when the key was used
     * with another body.
     */
    public Created create(JsonNode body, Actor caller, String idempotencyKey, UUID correlationId) {
        if (caller == null || caller.id() == null) {
            throw DomainException.forbidden("an external request is made by an identity");
        }
        if (body == null || !body.isObject()) {
            throw DomainException.badRequest("the body must be a JSON object: prompt, response_schema, assigned_to, "
                    + "timeout_seconds, …, context, callback");
        }
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw new DomainException(ErrorCode.BAD_REQUEST, "invalid Idempotency-Key header", List.of(
                    new ErrorDetail("Idempotency-Key", "1 to " + IDEMPOTENCY_KEY_MAX_CHARS
                            + " printable ASCII characters without spaces")));
        }
        List<ErrorDetail> unknown = new ArrayList<>();
        Set<String> known = knownFields();
        for (String name : body.propertyNames()) {
            if (!known.contains(name)) {
                unknown.add(new ErrorDetail("/" + name, "not a field of an approval request; these are: "
                        + String.join(", ", known)));
            }
        }
        if (!unknown.isEmpty()) {
            throw new DomainException(ErrorCode.BAD_REQUEST, "the request has unknown fields", unknown);
        }
        refuseOversized(body);

        ObjectNode asked = (ObjectNode) body.deepCopy();
        JsonNode context = asked.remove("context");
        JsonNode callback = asked.remove("callback");
        List<ErrorDetail> problems = new ArrayList<>();
        ObjectNode result = context(context, problems);
        Optional<Callback> wanted = callback(callback, problems);
        InquiryRequestValidator.Result validation = validator.validate(asked);
        problems.addAll(validation.problems());
        if (StorableJson.containsNul(asked)) {
            problems.add(new ErrorDetail("", "the request holds a U+0000 (NUL) character, which cannot be stored"));
        }
        if (!problems.isEmpty()) {
            throw DomainException.validation("the approval request is invalid", problems);
        }
        String digest = idempotencyKey == null ? null : sha256(io.attune.model.audit.CanonicalJson.write(body));
        return transactions.execute(tx -> {
            if (idempotencyKey != null) {
                Optional<Created> earlier = earlier(caller.id(), idempotencyKey, digest);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
            }
            Execution execution = executions.insert(ACTION_REF, asked, caller.id());
            Execution locked = executions.lock(execution.id()).orElseThrow();
            Inquiry inquiry = transitions.open(locked, validation.request(), result, correlationId);
            jdbc.sql("INSERT INTO attune.external_request (execution, inquiry, requested_by, idempotency_key, "
                            + "body_sha256, callback_url, callback_secret) VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .params(execution.id(), inquiry.id(), caller.id(), idempotencyKey, digest,
                            wanted.map(Callback::url).orElse(null), wanted.map(Callback::secret).orElse(null))
                    .update();
            return new Created(inquiry, false);
        });
    }

    /**
     * The inquiry if the actor may read it: whoever may see it ({@link InquiryTransitions#visible}), and also the
     * identity that made the external request it belongs to — a pipeline follows the decision on the request it made
     * even when someone else is to answer it (reading only: answering stays the assignee's). 404 otherwise.
     */
    public Inquiry readable(long inquiryId, Actor actor) {
        // the requester first: a pipeline's wait then costs two short queries, not three
        if (actor.id() != null && jdbc.sql("SELECT EXISTS (SELECT 1 FROM attune.external_request "
                        + "WHERE inquiry = ? AND requested_by = ?)").params(inquiryId, actor.id())
                .query(Boolean.class).single()) {
            return inquiries.find(inquiryId)
                    .orElseThrow(() -> DomainException.notFound("inquiry " + inquiryId + " not found"));
        }
        return transitions.visible(inquiryId, actor);
    }

    /**
     * The {@code target_key} of the deliveries of the inquiry's decision callback, for an actor who may read their
     * log: an admin, or the identity that made the request (the log is the caller's, as the callback is). 404 when
     * the actor cannot see the inquiry, or it was not asked with a callback; 403 when the actor sees the inquiry (an
     * approver, say) but is neither. The callback's url and secret are not read.
     */
    public String callbackTargetFor(long inquiryId, Actor actor) {
        record Asked(long execution, long requestedBy, boolean withCallback) {
        }
        Optional<Asked> asked = jdbc.sql("SELECT execution, requested_by, callback_url IS NOT NULL AS with_callback "
                        + "FROM attune.external_request WHERE inquiry = ?").param(inquiryId)
                .query((rs, n) -> new Asked(rs.getLong("execution"), rs.getLong("requested_by"),
                        rs.getBoolean("with_callback")))
                .optional();
        boolean requester = asked.isPresent() && actor.id() != null && asked.get().requestedBy() == actor.id();
        if (!requester && !actor.isAdmin()) {
            transitions.visible(inquiryId, actor); // 404 for whoever may not see the inquiry
            throw DomainException.forbidden("the deliveries of inquiry " + inquiryId + "'s callback are for an admin "
                    + "and the identity that made the request");
        }
        if (asked.isEmpty()) {
            inquiries.find(inquiryId).orElseThrow(() -> DomainException.notFound("inquiry " + inquiryId
                    + " not found"));
        }
        if (asked.isEmpty() || !asked.get().withCallback()) {
            throw DomainException.notFound("inquiry " + inquiryId + " was not asked with a callback: it has no "
                    + "callback deliveries");
        }
        return Callback.targetKey(asked.get().execution());
    }

    /** The callback stored for an inquiry's request, if it asked for one. */
    public Optional<Callback> callbackOf(long inquiryId) {
        return jdbc.sql("SELECT execution, inquiry, callback_url, callback_secret FROM attune.external_request "
                        + "WHERE inquiry = ? AND callback_url IS NOT NULL").param(inquiryId)
                .query((rs, n) -> new Callback(rs.getLong("execution"), rs.getLong("inquiry"),
                        rs.getString("callback_url"), rs.getString("callback_secret")))
                .optional();
    }

    /** Of these inquiries, those whose request asked for a callback: one statement for a batch of events. */
    public Set<Long> withCallback(Collection<Long> inquiryIds) {
        if (inquiryIds.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("SELECT inquiry FROM attune.external_request WHERE inquiry = ANY(?) "
                        + "AND callback_url IS NOT NULL").param(inquiryIds.toArray(Long[]::new))
                .query(Long.class).list());
    }

    /**
     * The fields a request may carry: every component of {@link InquiryRequest} as the wire names it (snake_case, the
     * one JSON mapper's naming; so fields added there are accepted here unchanged), plus context and callback.
     */
    static Set<String> knownFields() {
        Set<String> names = new LinkedHashSet<>();
        Arrays.stream(InquiryRequest.class.getRecordComponents())
                .map(component -> component.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT))
                .forEach(names::add);
        names.addAll(InquiryTemplates.REFERENCE); // expanded before the request is read: no component of it
        names.addAll(OWN_FIELDS);
        return names;
    }

    /** The same request again (after a lost answer, say): the inquiry it made; 409 if the key came with another body. */
    private Optional<Created> earlier(long caller, String key, String digest) {
        // concurrent requests with one key queue up here, and the second sees what the first committed
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(?, 15))").param(caller + "/" + key)
                .query((rs, n) -> null).list();
        return jdbc.sql("SELECT inquiry, body_sha256 FROM attune.external_request "
                        + "WHERE requested_by = ? AND idempotency_key = ?").params(caller, key)
                .query((rs, n) -> {
                    if (!digest.equals(rs.getString("body_sha256"))) {
                        throw DomainException.conflict("Idempotency-Key " + key + " was used with another body "
                                + "(inquiry " + rs.getLong("inquiry") + ")");
                    }
                    return new Created(inquiries.find(rs.getLong("inquiry")).orElseThrow(), true);
                })
                .optional();
    }

    /** 413 before anything else is looked at: sizes are cheap to measure and the rest is not. */
    private static void refuseOversized(JsonNode body) {
        JsonNode prompt = body.get("prompt");
        if (prompt != null && prompt.isString()) {
            int bytes = prompt.asString().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > InquiryLimits.PROMPT_MAX_BYTES) {
                throw tooLarge("/prompt", "prompt is " + bytes + " bytes; at most " + InquiryLimits.PROMPT_MAX_BYTES
                        + " are allowed");
            }
        }
        JsonNode schema = body.get("response_schema");
        if (schema != null && !schema.isNull()) {
            int bytes = Json.writeBytes(schema).length;
            if (bytes > InquiryLimits.SCHEMA_MAX_BYTES) {
                throw tooLarge("/response_schema", "response_schema is " + bytes + " bytes; at most "
                        + InquiryLimits.SCHEMA_MAX_BYTES + " are allowed");
            }
        }
        JsonNode context = body.get("context");
        if (context != null && !context.isNull()) {
            int bytes = Json.writeBytes(context).length;
            if (bytes > CONTEXT_MAX_BYTES) {
                throw tooLarge("/context", "context is " + bytes + " bytes; at most " + CONTEXT_MAX_BYTES
                        + " are allowed");
            }
        }
    }

    private static DomainException tooLarge(String path, String message) {
        return new DomainException(ErrorCode.PAYLOAD_TOO_LARGE, message, List.of(new ErrorDetail(path, message)));
    }

    /** The execution's result: the context (an object), or {} without one. */
    private static ObjectNode context(JsonNode context, List<ErrorDetail> problems) {
        if (context == null || context.isNull()) {
            return Json.object();
        }
        if (!context.isObject()) {
            problems.add(new ErrorDetail("/context", "context must be a JSON object"));
            return null;
        }
        if (context.has(InquiryRequest.KEY)) {
            problems.add(new ErrorDetail("/context/" + InquiryRequest.KEY, InquiryRequest.KEY
                    + " is where the answer goes once the inquiry is decided; use another key"));
        }
        int depth = depth(context, 0);
        if (depth > CONTEXT_MAX_DEPTH) {
            problems.add(new ErrorDetail("/context", "context nests " + depth + " levels deep; at most "
                    + CONTEXT_MAX_DEPTH));
        }
        if (StorableJson.containsNul(context)) {
            problems.add(new ErrorDetail("/context", "context holds a U+0000 (NUL) character, which cannot be stored"));
        }
        return (ObjectNode) context;
    }

    private static int depth(JsonNode node, int above) {
        if (!node.isContainer()) {
            return above;
        }
        int deepest = above + 1;
        if (deepest > CONTEXT_MAX_DEPTH) {
            return deepest; // deep enough to refuse: no need to walk the rest
        }
        for (JsonNode child : node.values()) {
            deepest = Math.max(deepest, depth(child, above + 1));
            if (deepest > CONTEXT_MAX_DEPTH) {
                break;
            }
        }
        return deepest;
    }

    /** {@code {"url", "secret"}}: an http(s) URL and a Standard Webhooks secret. */
    private static Optional<Callback> callback(JsonNode callback, List<ErrorDetail> problems) {
        if (callback == null || callback.isNull()) {
            return Optional.empty();
        }
        if (!callback.isObject()) {
            problems.add(new ErrorDetail("/callback", "callback must be an object: {\"url\", \"secret\"}"));
            return Optional.empty();
        }
        for (String name : callback.propertyNames()) {
            if (!name.equals("url") && !name.equals("secret")) {
                problems.add(new ErrorDetail("/callback/" + name, "a callback has only url and secret"));
            }
        }
        String url = callback.path("url").isString() ? callback.get("url").asString() : null;
        String urlProblem = url == null ? "url is required: where the decision is POSTed" : urlProblem(url);
        if (urlProblem != null) {
            problems.add(new ErrorDetail("/callback/url", urlProblem));
        }
        String secret = callback.path("secret").isString() ? callback.get("secret").asString() : null;
        String secretProblem = secretProblem(secret);
        if (secretProblem != null) {
            problems.add(new ErrorDetail("/callback/secret", secretProblem));
        }
        return urlProblem == null && secretProblem == null ? Optional.of(new Callback(0, 0, url, secret))
                : Optional.empty();
    }

    static String urlProblem(String url) {
        if (url.length() > CALLBACK_URL_MAX_CHARS) {
            return "url must be at most " + CALLBACK_URL_MAX_CHARS + " characters";
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                    || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
                return "url must be an absolute http:// or https:// URL with a host (no user info, no fragment)";
            }
            return null;
        } catch (URISyntaxException e) {
            return "url is not a valid URL: " + e.getReason();
        }
    }

    static String secretProblem(String secret) {
        String expected = "secret must be " + SECRET_PREFIX + " followed by the base64 of a 24 to 64 byte key "
                + "(Standard Webhooks), e.g. whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            return expected;
        }
        try {
            int bytes = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length())).length;
            return bytes >= 24 && bytes <= 64 ? null : expected;
        } catch (IllegalArgumentException e) {
            return expected;
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
