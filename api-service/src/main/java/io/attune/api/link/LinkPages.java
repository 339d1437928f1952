package io.attune.api.link;

import io.attune.core.identity.Identity;
import io.attune.core.inquiry.Inquiry;
import io.attune.model.InquiryStatus;
import io.attune.model.json.Json;
import io.attune.model.rest.ApiError.ErrorDetail;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.attune.api.link.Html.esc;
import static io.attune.api.link.Html.humanise;

/**
 * The signed-link pages as HTML strings: the inquiry with its context and form, the result of an answer, and every
 * refusal. No script; the stylesheet is the app's own file (the app's Content-Security-Policy allows nothing
 * inline). Every value is escaped by {@link Html#esc}.
 */
final class LinkPages {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final int CONTEXT_MAX_DEPTH = 8;
    private static final int CONTEXT_MAX_ITEMS = 200;

    private LinkPages() {
    }

    static String form(Inquiry inquiry, Identity identity, JsonNode context, String viewLink, JsonNode previous,
                       List<ErrorDetail> errors) {
        Map<String, List<String>> byPointer = new LinkedHashMap<>();
        errors.forEach(e -> byPointer.computeIfAbsent(e.path() == null ? "" : e.path(), k -> new java.util.ArrayList<>())
                .add(e.message()));
        StringBuilder body = new StringBuilder();
        body.append("<h1>").append(esc(inquiry.prompt())).append("</h1>");
        body.append("<p class=\"meta\">Inquiry #").append(inquiry.id()).append(" · answering as <strong>")
                .append(esc(identity.displayName())).append("</strong> (").append(esc(identity.login())).append(")")
                .append(" · ").append(esc(timeLeft(inquiry.timeoutAt()))).append("</p>");
        context(body, context);
        body.append("<section aria-labelledby=\"answer-h\"><h2 id=\"answer-h\">Your answer</h2>");
        if (!errors.isEmpty()) {
            body.append("<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"><p><strong>The answer was not "
                    + "accepted:</strong></p><ul>");
            errors.forEach(e -> body.append("<li>").append(e.path() == null || e.path().isEmpty() ? ""
                    : "<code>" + esc(e.path()) + "</code>: ").append(esc(e.message())).append("</li>"));
            body.append("</ul></div>");
        }
        body.append("<form method=\"post\" action=\"\" accept-charset=\"UTF-8\">")
                .append(LinkForm.fields(inquiry.responseSchema(), previous, byPointer))
                .append("<p><button type=\"submit\">Submit answer</button></p></form>");
        body.append("<p class=\"help\">This link answers once, as ").append(esc(identity.displayName()))
                .append(". Opening it changes nothing; only the button above answers.</p></section>");
        body.append(viewLinkParagraph(viewLink));
        return page(inquiry.prompt(), body.toString());
    }

    static String answered(Inquiry inquiry, JsonNode shownAnswer, String viewLink) {
        StringBuilder body = new StringBuilder();
        body.append("<h1>Thank you: your answer was recorded</h1>");
        body.append("<p class=\"meta\">Inquiry #").append(inquiry.id()).append(": ").append(esc(inquiry.prompt()))
                .append("</p>");
        body.append("<section><h2>Your answer</h2>");
        value(body, shownAnswer, 0);
        body.append("</section>");
        if (inquiry.status() == InquiryStatus.PENDING) {
            body.append("<p>The inquiry stays open until enough people have answered.</p>");
        } else {
            body.append("<p>The inquiry is answered; the automation that asked carries on with your answer.</p>");
        }
        body.append(viewLinkParagraph(viewLink));
        return page("Answer recorded", body.toString());
    }

    static String refused(String title, String message, String viewLink) {
        String body = "<h1>" + esc(title) + "</h1><p class=\"notice\">" + esc(capitalise(message)) + ".</p>"
                + (viewLink == null ? "" : viewLinkParagraph(viewLink));
        return page(title, body);
    }

    private static String viewLinkParagraph(String viewLink) {
        return "<p class=\"help\"><a href=\"" + esc(viewLink) + "\" rel=\"noopener noreferrer\">Open it in Attune</a>"
                + " (sign-in needed) for its history and outcome.</p>";
    }

    private static void context(StringBuilder body, JsonNode context) {
        if (context == null || context.isNull() || (context.isContainer() && context.isEmpty())) {
            return;
        }
        body.append("<section aria-labelledby=\"context-h\"><h2 id=\"context-h\">Context</h2>");
        body.append("<p class=\"help\">What the action reported when it asked.</p>");
        value(body, context, 0);
        body.append("</section>");
    }

    /** Any JSON, readably: objects as labelled lists, arrays as lists, long or deep values as JSON text. */
    private static void value(StringBuilder out, JsonNode value, int depth) {
        if (value == null || value.isNull()) {
            out.append("<span class=\"muted\">none</span>");
        } else if (depth >= CONTEXT_MAX_DEPTH || (value.isContainer() && value.size() > CONTEXT_MAX_ITEMS)) {
            out.append("<pre>").append(esc(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value)))
                    .append("</pre>");
        } else if (value.isObject()) {
            out.append("<dl>");
            for (Map.Entry<String, JsonNode> entry : value.properties()) {
                out.append("<dt>").append(esc(humanise(entry.getKey()))).append("</dt><dd>");
                value(out, entry.getValue(), depth + 1);
                out.append("</dd>");
            }
            out.append("</dl>");
        } else if (value.isArray()) {
            if (value.isEmpty()) {
                out.append("<span class=\"muted\">none</span>");
                return;
            }
            out.append("<ul>");
            for (JsonNode item : value) {
                out.append("<li>");
                value(out, item, depth + 1);
                out.append("</li>");
            }
            out.append("</ul>");
        } else if (value.isBoolean()) {
            out.append(value.asBoolean() ? "Yes" : "No");
        } else {
            out.append(esc(value.isString() ? value.asString() : Json.write(value)));
        }
    }

    private static String timeLeft(Instant timeoutAt) {
        if (timeoutAt == null) {
            return "no time limit";
        }
        Duration left = Duration.between(Instant.now(), timeoutAt);
        String in = left.toDays() > 0 ? left.toDays() + " d " + left.toHoursPart() + " h"
                : left.toHours() > 0 ? left.toHours() + " h " + left.toMinutesPart() + " min"
                : Math.max(0, left.toMinutes()) + " min";
        return "open until " + TIME.format(timeoutAt) + " (" + in + " left)";
    }

    private static String capitalise(String message) {
        return message.isEmpty() ? message : Character.toUpperCase(message.charAt(0)) + message.substring(1);
    }

    static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<meta name=\"robots\" content=\"noindex, nofollow\">"
                + "<meta name=\"referrer\" content=\"no-referrer\">"
                + "<title>" + esc(title) + " · Attune</title>"
                + "<link rel=\"stylesheet\" href=\"/app/link-page.css\"></head>"
                + "<body><header class=\"bar\"><span class=\"brand\">Attune</span></header>"
                + "<main class=\"link-page\">" + body + "</main></body></html>\n";
    }
}
