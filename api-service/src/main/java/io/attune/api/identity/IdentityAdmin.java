package io.attune.api.identity;

import io.attune.api.auth.Authenticator;
import io.attune.core.audit.AuditSubject;
import io.attune.core.audit.AuditTrail;
import io.attune.core.identity.Actor;
import io.attune.core.error.DomainException;
import io.attune.core.identity.Identity;
import io.attune.core.identity.IdentityRepository;
import io.attune.core.identity.Role;
import io.attune.model.rest.ApiError.ErrorDetail;
import io.attune.model.rest.CreateIdentityRequest;
import io.attune.model.rest.ErrorCode;
import io.attune.model.json.Json;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Creates identities: checks the request field by field, stores a BCrypt hash, never the password. */
@Service
public class IdentityAdmin {
    public static final int MIN_PASSWORD_CHARS = 8;
    public static final int MAX_DISPLAY_NAME_CHARS = 200;

    private final IdentityRepository identities;
    private final PasswordEncoder passwords;
    private final AuditTrail audit;

    public IdentityAdmin(IdentityRepository identities, PasswordEncoder passwords, AuditTrail audit) {
        this.identities = identities;
        this.passwords = passwords;
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
        if (password == null || password.codePointCount(0, password.length()) < MIN_PASSWORD_CHARS) {
            problems.add(new ErrorDetail("/password", "password is required: at least " + MIN_PASSWORD_CHARS
                    + " characters"));
        } else if (password.getBytes(StandardCharsets.UTF_8).length > Authenticator.MAX_PASSWORD_BYTES) {
            problems.add(new ErrorDetail("/password", "password must be at most "
                    + Authenticator.MAX_PASSWORD_BYTES + " bytes (UTF-8)"));
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
}
