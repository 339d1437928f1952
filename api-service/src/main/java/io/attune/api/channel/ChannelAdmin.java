package io.attune.api.channel;

import io.attune.core.audit.AuditSubject;
import io.attune.core.audit.AuditTrail;
import io.attune.core.channel.Channel;
import io.attune.core.channel.ChannelConfigRules;
import io.attune.core.channel.ChannelFilters;
import io.attune.core.channel.ChannelRepository;
import io.attune.core.error.DomainException;
import io.attune.core.identity.Actor;
import io.attune.core.identity.IdentityRepository;
import io.attune.model.json.Json;
import io.attune.model.rest.ApiError.ErrorDetail;
import io.attune.model.rest.ErrorCode;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Channels: {@code {"type", "name", "config", "filters", "enabled"}} (docs/channels.md). 400 for a body of the wrong
 * shape (every problem listed), 404 for an unknown channel, 409 for a name that is taken, 422 for a filter naming no
 * identity. Every change is audited in the transaction that makes it, the channel's secrets left out.
 */
@Service
public class ChannelAdmin {
    private static final Set<String> FIELDS = Set.of("type", "name", "config", "filters", "enabled");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ChannelRepository channels;
    private final IdentityRepository identities;
    private final AuditTrail audit;
    private final JdbcClient jdbc;

    public ChannelAdmin(ChannelRepository channels, IdentityRepository identities, AuditTrail audit, JdbcClient jdbc) {
        this.channels = channels;
        this.identities = identities;
        this.audit = audit;
        this.jdbc = jdbc;
    }

    public Channel get(long id) {
        return channels.find(id).orElseThrow(() -> notFound(id));
    }

    @Transactional
    public Channel create(JsonNode body, Actor actor) {
        Change change = read(body, null);
        long id;
        try {
            id = channels.create(change.type(), change.name(), change.config(), change.filters(),
                    change.enabled() == null || change.enabled(), actor.id());
        } catch (DuplicateKeyException e) {
            throw nameTaken(change.name());
        }
        Channel created = get(id);
        audit.record(AuditSubject.channel(id), "created", actor, described(created));
        return created;
    }

    @Transactional
    public Channel patch(long id, JsonNode body, Actor actor) {
        Channel current = channels.lock(id).orElseThrow(() -> notFound(id));
        Change change = read(body, current);
        try {
            channels.update(id, change.name(), change.config(), change.filters(),
                    change.enabled() == null ? current.enabled() : change.enabled());
        } catch (DuplicateKeyException e) {
            throw nameTaken(change.name());
        }
        Channel changed = get(id);
        audit.record(AuditSubject.channel(id), "updated", actor, described(changed));
        return changed;
    }

    @Transactional
    public void delete(long id, Actor actor) {
        Channel current = channels.lock(id).orElseThrow(() -> notFound(id));
        channels.delete(id);
        audit.record(AuditSubject.channel(id), "deleted", actor, described(current));
    }

    /**
     * A test message to the channel, sent by the notifiers like any delivery (event type {@code channel.test}); an
     * email channel sends it to the caller's {@code email} attribute. The delivery's id.
     */
    @Transactional
    public long test(long id, Actor actor) {
        Channel channel = get(id);
        String recipient = null;
        if ("email".equals(channel.type())) {
            recipient = jdbc.sql("SELECT attributes->>'email' FROM attune.identity WHERE id = ?").param(actor.id())
                    .query(String.class).optional().filter(e -> e != null && !e.isBlank()).orElseThrow(() ->
                            DomainException.validation("a test email goes to you, and you have no email attribute",
                                    List.of(new ErrorDetail("/attributes/email", "set it with PATCH "
                                            + "/api/v1/identities/" + actor.id()))));
        }
        ObjectNode message = Json.object();
        message.put("type", "channel.test");
        message.put("timestamp", Instant.now().toString());
        ObjectNode data = message.putObject("data");
        data.putObject("channel").put("id", channel.id()).put("name", channel.name());
        data.put("requested_by", actor.login());
        data.putObject("inquiry").put("prompt", "A test message from Attune: channel '" + channel.name()
                + "' works.");
        data.putObject("links");
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String messageId = "msg_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return jdbc.sql("INSERT INTO attune.delivery (message_id, channel_id, target_key, event_type, recipient_id, "
                        + "recipient, message, status, next_attempt_at, give_up_at) VALUES (?, ?, ?, 'channel.test', "
                        + "?, ?, ?::jsonb, 'pending', now(), now() + interval '1 hour') RETURNING id")
                .params(messageId, id, "test:" + messageId, actor.id(), recipient, Json.write(message))
                .query(Long.class).single();
    }

    /** What the audit entry keeps of a channel: everything but its secrets. */
    private static JsonNode described(Channel channel) {
        return Json.convert(Map.of("type", channel.type(), "name", channel.name(),
                "config", ChannelConfigRules.masked(channel.type(), channel.config()), "filters", channel.filters(),
                "enabled", channel.enabled()), JsonNode.class);
    }

    private Change read(JsonNode body, Channel current) {
        if (body == null || !body.isObject()) {
            throw DomainException.badRequest("the body must be a JSON object: {\"type\", \"name\", \"config\", "
                    + "\"filters\"}");
        }
        List<ErrorDetail> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            if (!FIELDS.contains(field.getKey())) {
                problems.add(new ErrorDetail("/" + field.getKey(), "a channel has type, name, config, filters and "
                        + "enabled"));
            }
        }
        String type = current == null ? null : current.type();
        JsonNode typeNode = body.get("type");
        if (current == null) {
            if (typeNode == null || !typeNode.isString() || !ChannelConfigRules.TYPES.contains(typeNode.asString())) {
                problems.add(new ErrorDetail("/type", "type must be webhook, email or slack"));
            } else {
                type = typeNode.asString();
            }
        } else if (typeNode != null && !(typeNode.isString() && typeNode.asString().equals(current.type()))) {
            problems.add(new ErrorDetail("/type", "a channel's type cannot change: make a new channel"));
        }
        String name = current == null ? null : current.name();
        JsonNode nameNode = body.get("name");
        if (nameNode != null || current == null) {
            if (nameNode == null || !nameNode.isString() || nameNode.asString().isBlank()
                    || nameNode.asString().length() > 200) {
                problems.add(new ErrorDetail("/name", "name is required: 1 to 200 characters"));
            } else {
                name = nameNode.asString().trim();
            }
        }
        Boolean enabled = null;
        JsonNode enabledNode = body.get("enabled");
        if (enabledNode != null && !enabledNode.isNull()) {
            if (!enabledNode.isBoolean()) {
                problems.add(new ErrorDetail("/enabled", "enabled must be true or false"));
            } else {
                enabled = enabledNode.asBoolean();
            }
        }
        JsonNode config = current == null ? null : current.config();
        if (type != null && (body.has("config") || current == null)) {
            config = ChannelConfigRules.normalise(type, body.get("config"), current == null ? null : current.config(),
                    problems);
        }
        JsonNode filters = current == null ? Json.object() : current.filters();
        if (body.has("filters")) {
            filters = ChannelFilters.normalise(body.get("filters"), problems);
        }
        if (!problems.isEmpty()) {
            throw new DomainException(ErrorCode.BAD_REQUEST, "the channel is invalid", problems);
        }
        Long user = ChannelFilters.filteredUser(filters);
        if (user != null && !identities.exists(user)) {
            throw DomainException.validation("no such identity: " + user,
                    List.of(new ErrorDetail("/filters/assigned_to", "no identity has id " + user)));
        }
        return new Change(type, name, config, filters, enabled);
    }

    private static DomainException notFound(long id) {
        return DomainException.notFound("channel " + id + " not found");
    }

    private static DomainException nameTaken(String name) {
        return DomainException.conflict("a channel named '" + name + "' exists already");
    }

    private record Change(String type, String name, JsonNode config, JsonNode filters, Boolean enabled) {
    }
}
