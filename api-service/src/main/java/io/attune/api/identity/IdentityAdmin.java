package io.attune.api.identity;

import io.attune.api.auth.Authenticator;
import io.attune.core.audit.AuditSubject;
import io.attune.core.audit.AuditTrail;
import io.attune.core.identity.Actor;
import io.attune.core.error.DomainException;
import io.attune.core.identity.GroupRepository;
import io.attune.core.identity.Identity;
import io.attune.core.identity.IdentityRepository;
import io.attune.core.identity.Role;
import io.attune.core.identity.SessionGuard;
import io.attune.model.json.Json;
import io.attune.model.rest.ApiError.ErrorDetail;
import io.attune.model.rest.CreateIdentityRequest;
import io.attune.model.rest.ErrorCode;
import io.attune.model.json.Json;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates and changes identities: checks each request field by field, stores a BCrypt hash, never the password.
 * A change is seen by this replica at once and by every service within seconds ({@link SessionGuard}).
 */
@Service
public class IdentityAdmin {
    public static final int MIN_PASSWORD_CHARS = 8;
    public static final int MAX_DISPLAY_NAME_CHARS = 200;
    /** Attributes are a handful of contact facts, not a document store. */
    public static final int MAX_ATTRIBUTES_BYTES = 16 * 1024;
    static final Set<String> PATCHABLE = Set.of("display_name", "roles", "groups", "disabled", "password",
            "attributes");

    private final IdentityRepository identities;
    private final GroupRepository groups;
    private final PasswordEncoder passwords;
    private final SessionGuard sessions;
    private final AuditTrail audit;

    public IdentityAdmin(IdentityRepository identities, GroupRepository groups, PasswordEncoder passwords,
                         SessionGuard sessions, AuditTrail audit) {
        this.identities = identities;
        this.groups = groups;
        this.passwords = passwords;
        this.sessions = sessions;
        this.audit = audit;
    }

    /**
     * The new identity, created by {@code actor} and recorded in the audit trail with it (never the password);
     * 400 listing every invalid field, 409 when the login is taken.
     */
    @Transactional
    public Identity create(CreateIdentityRequest request, Actor actor) {
        List<ErrorDetail> problems = new ArrayList<>();
        String login = request.login();
        if (login == null || !Authenticator.LOGIN.matcher(login).matches()) {
            problems.add(new ErrorDetail("/login",
                    "login is required: 1 to 64 of the characters A-Z a-z 0-9 . _ @ -"));
        }
        String password = request.password();
        if (password == null) {
            problems.add(new ErrorDetail("/password", "password is required: at least " + MIN_PASSWORD_CHARS
                    + " characters"));
        } else {
            checkPassword(password, problems);
        }
        String displayName = request.displayName() == null || request.displayName().isBlank() ? login
                : request.displayName().strip();
        if (displayName != null && displayName.length() > MAX_DISPLAY_NAME_CHARS) {
            problems.add(new ErrorDetail("/display_name", "display_name must be at most " + MAX_DISPLAY_NAME_CHARS
                    + " characters"));
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (request.roles() == null || request.roles().isEmpty()) {
            roles.add(Role.USER);
        } else {
            for (int i = 0; i < request.roles().size(); i++) {
                try {
                    roles.add(Role.fromWire(request.roles().get(i)));
                } catch (IllegalArgumentException e) {
                    problems.add(new ErrorDetail("/roles/" + i, "a role is admin or user, not '"
                            + request.roles().get(i) + "'"));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new DomainException(ErrorCode.BAD_REQUEST, "the identity is invalid", problems);
        }
        Identity created = identities.create(login, displayName, passwords.encode(password), roles);
        audit.record(AuditSubject.identity(created.id()), "created", actor, Json.convert(Map.of("login", created.login(),
                "display_name", created.displayName(), "roles", roles.stream().map(Role::wire).sorted().toList()),
                JsonNode.class));
        return created;
    }

    /**
     * Changes any of display_name, roles, groups (names, replacing the identity's groups), disabled, password and
     * attributes (merged key by key; a null value removes the key). 404 unknown identity; 400 unknown or invalid
     * fields (every one listed); 422 group names that do not exist; 409 when no enabled admin would be left.
     */
    @Transactional
    public Identity patch(long id, JsonNode body, Actor actor) {
        if (body == null || !body.isObject()) {
            throw DomainException.badRequest("the body must be a JSON object with any of " + String.join(", ",
                    PATCHABLE.stream().sorted().toList()));
        }
        Identity current = identities.lock(id)
                .orElseThrow(() -> DomainException.notFound("identity " + id + " not found"));
        List<ErrorDetail> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            if (!PATCHABLE.contains(field.getKey())) {
                problems.add(new ErrorDetail("/" + field.getKey(), "not a field that can be changed; these can: "
                        + String.join(", ", PATCHABLE.stream().sorted().toList())));
            }
        }
        String displayName = current.displayName();
        if (body.has("display_name")) {
            JsonNode value = body.get("display_name");
            if (!value.isString() || value.asString().isBlank()) {
                problems.add(new ErrorDetail("/display_name", "display_name must be a non-empty string"));
            } else if (value.asString().strip().length() > MAX_DISPLAY_NAME_CHARS) {
                problems.add(new ErrorDetail("/display_name", "display_name must be at most "
                        + MAX_DISPLAY_NAME_CHARS + " characters"));
            } else {
                displayName = value.asString().strip();
            }
        }
        Set<Role> roles = current.roles();
        if (body.has("roles")) {
            roles = roles(body.get("roles"), problems);
        }
        boolean disabled = current.disabled();
        if (body.has("disabled")) {
            if (!body.get("disabled").isBoolean()) {
                problems.add(new ErrorDetail("/disabled", "disabled must be true or false"));
            } else {
                disabled = body.get("disabled").booleanValue();
            }
        }
        String passwordHash = current.passwordHash();
        if (body.has("password")) {
            JsonNode value = body.get("password");
            if (!value.isString()) {
                problems.add(new ErrorDetail("/password", "password must be a string"));
            } else if (checkPassword(value.asString(), problems)) {
                passwordHash = passwords.encode(value.asString());
            }
        }
        ObjectNode attributes = current.attributes() != null && current.attributes().isObject()
                ? ((ObjectNode) current.attributes()).deepCopy() : Json.object();
        if (body.has("attributes")) {
            mergeAttributes(body.get("attributes"), attributes, problems);
        }
        List<String> groupNames = null;
        if (body.has("groups")) {
            groupNames = groupNames(body.get("groups"), problems);
        }
        if (!problems.isEmpty()) {
            throw new DomainException(ErrorCode.BAD_REQUEST, "the change is invalid", problems);
        }
        if (groupNames != null) {
            List<String> missing = groups.missing(groupNames);
            List<String> given = groupNames;
            if (!missing.isEmpty()) {
                throw DomainException.validation("no such group: " + String.join(", ", missing),
                        missing.stream().map(name -> new ErrorDetail("/groups/" + given.indexOf(name),
                                "no group is named '" + name + "'")).toList());
            }
        }
        boolean staysAdmin = roles.contains(Role.ADMIN) && !disabled;
        if (current.roles().contains(Role.ADMIN) && !current.disabled() && !staysAdmin
                && identities.otherEnabledAdmins(id) == 0) {
            throw DomainException.conflict("identity " + id + " is the last enabled admin; make another admin first");
        }
        identities.update(new Identity(id, current.login(), displayName, passwordHash, roles, current.groups(),
                disabled, attributes, current.created(), current.updated()));
        if (groupNames != null) {
            groups.replaceGroupsOf(id, groupNames);
        }
        sessions.forget(id);
        ObjectNode change = ((ObjectNode) body).deepCopy();
        if (change.has("password")) {
            change.put("password", "********"); // that it changed is evidence; the password itself never is
        }
        audit.record(AuditSubject.identity(id), "updated", actor, change);
        return identities.findById(id).orElseThrow();
    }

    private static Set<Role> roles(JsonNode value, List<ErrorDetail> problems) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (!value.isArray() || value.isEmpty()) {
            problems.add(new ErrorDetail("/roles", "roles must be a non-empty array of \"admin\" and \"user\""));
            return roles;
        }
        for (int i = 0; i < value.size(); i++) {
            JsonNode role = value.get(i);
            try {
                roles.add(Role.fromWire(role.isString() ? role.asString() : String.valueOf(role)));
            } catch (IllegalArgumentException e) {
                problems.add(new ErrorDetail("/roles/" + i, "a role is admin or user, not " + role));
            }
        }
        return roles;
    }

    private static List<String> groupNames(JsonNode value, List<ErrorDetail> problems) {
        if (!value.isArray()) {
            problems.add(new ErrorDetail("/groups", "groups must be an array of group names"));
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isString()) {
                problems.add(new ErrorDetail("/groups/" + i, "a group name is a string, not " + value.get(i)));
            } else {
                names.add(value.get(i).asString());
            }
        }
        return List.copyOf(names);
    }

    private static void mergeAttributes(JsonNode change, ObjectNode attributes, List<ErrorDetail> problems) {
        if (!change.isObject()) {
            problems.add(new ErrorDetail("/attributes", "attributes must be a JSON object (a null value removes "
                    + "an attribute)"));
            return;
        }
        for (Map.Entry<String, JsonNode> attribute : change.properties()) {
            if (attribute.getValue().isNull()) {
                attributes.remove(attribute.getKey());
            } else {
                attributes.set(attribute.getKey(), attribute.getValue());
            }
        }
        if (Json.writeBytes(attributes).length > MAX_ATTRIBUTES_BYTES) {
            problems.add(new ErrorDetail("/attributes", "attributes must be at most " + MAX_ATTRIBUTES_BYTES
                    + " bytes of JSON in all"));
        }
    }

    private static boolean checkPassword(String password, List<ErrorDetail> problems) {
        if (password.codePointCount(0, password.length()) < MIN_PASSWORD_CHARS) {
            problems.add(new ErrorDetail("/password", "password must be at least " + MIN_PASSWORD_CHARS
                    + " characters"));
            return false;
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > Authenticator.MAX_PASSWORD_BYTES) {
            problems.add(new ErrorDetail("/password", "password must be at most "
                    + Authenticator.MAX_PASSWORD_BYTES + " bytes (UTF-8)"));
            return false;
        }
        return true;
    }
}
