package io.attune.core.operations;

import io.attune.core.domain.DomainAutoConfiguration;
import io.attune.core.identity.SessionGuard;
import io.attune.core.security.TokenAutoConfiguration;
import io.attune.core.security.TokenSettings;
import io.attune.core.security.Tokens;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import java.nio.charset.StandardCharsets;

/** Guards every service's actuator on its own port ({@link ActuatorAccessFilter}). */
@AutoConfiguration(after = {DomainAutoConfiguration.class, TokenAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ActuatorAccessAutoConfiguration {

    /**
     * Services that check tokens use their decoder; the others (executor, worker) build one when given the shared
     * secret, and without it answer nothing but the health status on their own port.
     */
    @Bean
    ActuatorAccessFilter actuatorAccessFilter(ObjectProvider<JwtDecoder> decoders, SessionGuard sessions,
                                              @Value("${attune.jwt.secret:}") String secret) {
        JwtDecoder decoder = decoders.getIfAvailable();
        if (decoder == null && secret.getBytes(StandardCharsets.UTF_8).length >= TokenSettings.MIN_SECRET_BYTES) {
            decoder = Tokens.decoder(secret.getBytes(StandardCharsets.UTF_8));
        }
        return new ActuatorAccessFilter(decoder, sessions);
    }
}
