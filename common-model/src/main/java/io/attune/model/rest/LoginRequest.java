package io.attune.model.rest;

public record LoginRequest(String login, String password) {
}
