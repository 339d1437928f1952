package io.attune.model.rest;

import java.util.List;

/** A group of identities: its name and its members' identity ids (ascending). */
public record GroupView(String name, List<Long> members) {
}
