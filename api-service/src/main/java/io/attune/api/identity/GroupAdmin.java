package io.attune.api.identity;

import io.attune.core.audit.AuditSubject;
import io.attune.core.audit.AuditTrail;
import io.attune.core.error.DomainException;
import io.attune.core.identity.Actor;
import io.attune.core.identity.GroupRepository;
import io.attune.core.identity.GroupRepository.Group;
import io.attune.core.identity.IdentityRepository;
import io.attune.core.identity.SessionGuard;
import io.attune.model.rest.ApiError.ErrorDetail;
import io.attune.model.json.Json;
import io.attune.model.rest.ErrorCode;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Groups of identities: {@code {"name", "members": [identity ids]}}. 400 for a body of the wrong shape (every problem
 * listed), 404 for an unknown group, 409 for a name that is taken, 422 for member ids that name no identity.
 */
@Service
public class GroupAdmin {
    /** What the database accepts as a group name. */
    public static final Pattern NAME = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");
    private static final Set<String> FIELDS = Set.of("name", "members");

    private final GroupRepository groups;
    private final IdentityRepository identities;
    private final SessionGuard sessions;
    private final AuditTrail audit;

    public GroupAdmin(GroupRepository groups, IdentityRepository identities, SessionGuard sessions,
                      AuditTrail audit) {
        this.groups = groups;
        this.identities = identities;
        this.sessions = sessions;
        this.audit = audit;
    }

    public Group get(String name) {
        return groups.find(name).orElseThrow(() -> notFound(name));
    }

    @Transactional
    public Group create(JsonNode body, Actor actor) {
        Change change = read(body, true);
        long id = groups.create(change.name());
        groups.replaceMembers(id, change.members() == null ? List.of() : change.members());
        forget(change.members());
        Group created = get(change.name());
        audit.record(AuditSubject.group(created.name()), "created", actor, described(created));
        return created;
    }

    @Transactional
    public Group patch(String name, JsonNode body, Actor actor) {
        Change change = read(body, false);
        Group current = groups.lock(name).orElseThrow(() -> notFound(name));
        String newName = change.name() == null ? name : change.name();
        if (!newName.equals(name)) {
            groups.rename(current.id(), newName);
        }
        if (change.members() != null) {
            groups.replaceMembers(current.id(), change.members());
            forget(current.members());
            forget(change.members());
        }
        Group changed = get(newName);
        audit.record(AuditSubject.group(name), "updated", actor, described(changed));
        return changed;
    }

    @Transactional
    public void delete(String name, Actor actor) {
        Group current = groups.lock(name).orElseThrow(() -> notFound(name));
        groups.delete(current.id());
        forget(current.members());
        audit.record(AuditSubject.group(name), "deleted", actor, described(current));
    }

    /** What the audit entry keeps of a group: its name and members as they are after the change. */
    private static JsonNode described(Group group) {
        return Json.convert(Map.of("name", group.name(), "members", group.members()), JsonNode.class);
    }

    /** The members' cached sessions here, so that their new groups count at once on this replica. */
    private void forget(List<Long> members) {
        if (members != null) {
            members.forEach(sessions::forget);
        }
    }

    private Change read(JsonNode body, boolean creating) {
        if (body == null || !body.isObject()) {
            throw DomainException.badRequest("the body must be a JSON object: {\"name\", \"members\": [identity ids]}");
        }
        List<ErrorDetail> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            if (!FIELDS.contains(field.getKey())) {
                problems.add(new ErrorDetail("/" + field.getKey(), "a group has only name and members"));
            }
        }
        String name = null;
        JsonNode nameNode = body.get("name");
        if (nameNode == null || nameNode.isNull()) {
            if (creating) {
                problems.add(new ErrorDetail("/name", "name is required"));
            }
        } else if (!nameNode.isString() || !NAME.matcher(nameNode.asString()).matches()) {
            problems.add(new ErrorDetail("/name", "name must be 1 to 64 of the characters A-Z a-z 0-9 . _ -"));
        } else {
            name = nameNode.asString();
        }
        List<Long> members = null;
        JsonNode membersNode = body.get("members");
        if (membersNode != null && !membersNode.isNull()) {
            if (!membersNode.isArray()) {
                problems.add(new ErrorDetail("/members", "members must be an array of identity ids"));
            } else {
                Set<Long> ids = new LinkedHashSet<>();
                for (int i = 0; i < membersNode.size(); i++) {
                    JsonNode member = membersNode.get(i);
                    if (!member.isIntegralNumber() || !member.canConvertToLong()) {
                        problems.add(new ErrorDetail("/members/" + i, "an identity id is an integer, not " + member));
                    } else {
                        ids.add(member.asLong());
                    }
                }
                members = List.copyOf(ids);
            }
        }
        if (!problems.isEmpty()) {
            throw new DomainException(ErrorCode.BAD_REQUEST, "the group is invalid", problems);
        }
        if (members != null && !members.isEmpty()) {
            List<Long> missing = identities.missing(members);
            if (!missing.isEmpty()) {
                List<Long> given = members;
                throw DomainException.validation("no such identity: " + missing, missing.stream()
                        .map(id -> new ErrorDetail("/members/" + given.indexOf(id), "no identity has id " + id))
                        .toList());
            }
        }
        return new Change(name, members);
    }

    private static DomainException notFound(String name) {
        return DomainException.notFound("group '" + name + "' not found");
    }

    private record Change(String name, List<Long> members) {
    }
}
