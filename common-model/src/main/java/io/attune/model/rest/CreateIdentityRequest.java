package io.attune.model.rest;

import java.util.List;

public record CreateIdentityRequest(String login, String password, String displayName, List<String> roles) {
}
