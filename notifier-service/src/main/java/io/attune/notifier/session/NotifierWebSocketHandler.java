package io.attune.notifier.session;

import io.attune.model.json.Json;
import io.attune.model.ws.ServerMessage;
import io.attune.model.ws.SubscriptionFilters;
import io.attune.notifier.auth.Authenticated;
import io.attune.notifier.notification.Activity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The client side of {@code /ws} (docs/notifier.md): subscribe (with optional filters and since), unsubscribe, ping.
 * A message the server cannot use gets {@code {"type": "error", "message": …}} and the socket stays open. This runs
 * on the socket's own thread, so it only parses: the session handles each message in order on a pool of its own.
 */
@Component
public class NotifierWebSocketHandler extends TextWebSocketHandler {
    private static final Logger log = LoggerFactory.getLogger(NotifierWebSocketHandler.class);
    private static final String ACTIVITIES = Arrays.stream(Activity.values()).map(Activity::wire)
            .collect(Collectors.joining(", "));

    private final SessionRegistry sessions;

    public NotifierWebSocketHandler(SessionRegistry sessions) {
        this.sessions = sessions;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession socket) {
        sessions.open(socket, Authenticated.from(socket.getAttributes()));
    }

    @Override
    protected void handleTextMessage(WebSocketSession socket, TextMessage message) {
        ClientSession session = sessions.get(socket.getId());
        if (session == null) {
            return;
        }
        try {
            handle(session, message.getPayload());
        } catch (RuntimeException e) {
            log.error("Message of session {} not handled", socket.getId(), e);
            session.reply(ServerMessage.error("the message could not be handled; please try again"));
        }
    }

    private void handle(ClientSession session, String text) {
        JsonNode root;
        try {
            root = Json.tree(text);
        } catch (JacksonException e) {
            session.reply(ServerMessage.error("the message is not valid JSON"));
            return;
        }
        if (root == null || !root.isObject()) {
            session.reply(ServerMessage.error("a message is a JSON object with a \"type\""));
            return;
        }
        String type = root.path("type").isString() ? root.get("type").asString() : null;
        if ("subscribe".equals(type)) {
            subscribe(session, root);
        } else if ("unsubscribe".equals(type)) {
            session.unsubscribe();
        } else if ("ping".equals(type)) {
            session.reply(ServerMessage.pong());
        } else {
            session.reply(ServerMessage.error("unknown message type " + (type == null ? "(none)" : "'" + type + "'")
                    + ": expected subscribe, unsubscribe or ping"));
        }
    }

    private void subscribe(ClientSession session, JsonNode root) {
        SubscriptionFilters filters;
        JsonNode filtersNode = root.get("filters");
        try {
            filters = filtersNode == null || filtersNode.isNull() ? SubscriptionFilters.NONE
                    : filtersNode.isObject() ? Json.convert(filtersNode, SubscriptionFilters.class) : null;
        } catch (JacksonException | IllegalArgumentException e) {
            filters = null;
        }
        if (filters == null) {
            session.reply(ServerMessage.error("filters must be an object with any of entity_type, entity, activity "
                    + "(strings), user_id and execution (integers)"));
            return;
        }
        if (filters.activity() != null && Activity.fromWire(filters.activity()).isEmpty()) {
            session.reply(ServerMessage.error("filters.activity must be one of " + ACTIVITIES));
            return;
        }
        JsonNode sinceNode = root.get("since");
        Long since = null;
        if (sinceNode != null && !sinceNode.isNull()) {
            if (!sinceNode.isIntegralNumber() || !sinceNode.canConvertToLong() || sinceNode.asLong() < 0) {
                session.reply(ServerMessage.error("since must be a non-negative integer: the id of the last "
                        + "notification seen"));
                return;
            }
            since = sinceNode.asLong();
        }
        session.subscribe(filters, since);
    }

    @Override
    public void handleTransportError(WebSocketSession socket, Throwable exception) {
        log.debug("Transport error on session {}: {}", socket.getId(), exception.getMessage());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
        sessions.closed(socket.getId());
    }
}
