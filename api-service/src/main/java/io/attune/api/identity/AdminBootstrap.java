package io.attune.api.identity;

import io.attune.core.error.DomainException;
import io.attune.core.identity.IdentityRepository;
import io.attune.core.identity.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import java.util.EnumSet;

/**
 * Creates the identity {@code admin} (role admin) from {@code ATTUNE_ADMIN_PASSWORD} on first start, after the
 * schema is migrated and before the server takes requests. An existing admin is never touched, and replicas starting
 * together do not trip over each other: the database's unique login decides, the losers carry on.
 */
@Component
public class AdminBootstrap implements SmartInitializingSingleton {
    public static final String ADMIN_LOGIN = "admin";
    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final IdentityRepository identities;
    private final PasswordEncoder passwords;
    private final String password;

    public AdminBootstrap(IdentityRepository identities, PasswordEncoder passwords,
                          @Value("${attune.admin.password:}") String password) {
        this.identities = identities;
        this.passwords = passwords;
        this.password = password;
    }

    @Override
    public void afterSingletonsInstantiated() {
        createAdminIfAbsent();
    }

    /** Whether this call created the admin. */
    public boolean createAdminIfAbsent() {
        if (password == null || password.isEmpty()) {
            return false;
        }
        if (identities.findByLogin(ADMIN_LOGIN).isPresent()) {
            return false;
        }
        if (password.length() < IdentityAdmin.MIN_PASSWORD_CHARS) {
            log.warn("ATTUNE_ADMIN_PASSWORD is shorter than {} characters; choose a longer one",
                    IdentityAdmin.MIN_PASSWORD_CHARS);
        }
        try {
            identities.create(ADMIN_LOGIN, "Administrator", passwords.encode(password), EnumSet.of(Role.ADMIN));
        } catch (DomainException taken) {
            return false; // another replica created it a moment ago
        }
        log.info("Created identity '{}' (role admin) from ATTUNE_ADMIN_PASSWORD", ADMIN_LOGIN);
        return true;
    }
}
