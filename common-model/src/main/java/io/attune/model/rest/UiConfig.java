package io.attune.model.rest;

/**
 * What the web UI needs to know about the deployment, served at {@code GET /app/config.json} (public):
 * {@code notifier_url} is the WebSocket URL browsers open for live notifications.
 */
public record UiConfig(String notifierUrl) {
}
