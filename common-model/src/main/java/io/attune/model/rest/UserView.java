package io.attune.model.rest;

import java.util.List;

public record UserView(long id, String login, String displayName, List<String> roles) {
}
