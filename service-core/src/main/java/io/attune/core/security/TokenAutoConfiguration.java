package io.attune.core.security;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import io.attune.core.domain.DomainAutoConfiguration;
import io.attune.core.token.ApiTokens;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import javax.crypto.spec.SecretKeySpec;

/**
 * Token checking, for the services that take requests from people ({@code attune.tokens.check=true}: api, notifier):
 * HS256 tokens with Spring Security's Nimbus decoder, and API tokens. Issuing tokens (the encoder, {@link Tokens}) is
 * api-service's alone ({@code attune.tokens.issue=true}). Executor and worker get neither, and start without a
 * secret.
 */
@AutoConfiguration(after = DomainAutoConfiguration.class,
        beforeName = "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet"
                + ".OAuth2ResourceServerAutoConfiguration")
@ConditionalOnBooleanProperty("attune.tokens.check")
@EnableConfigurationProperties(TokenSettings.class)
@Import(ApiTokens.class)
public class TokenAutoConfiguration {

    @Bean
    JwtDecoder jwtDecoder(TokenSettings settings) {
        return Tokens.decoder(settings.secretBytes());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty("attune.tokens.issue")
    static class Issuing {

        @Bean
        JwtEncoder jwtEncoder(TokenSettings settings) {
            return new NimbusJwtEncoder(new ImmutableSecret<>(new SecretKeySpec(settings.secretBytes(),
                    "HmacSHA256")));
        }

        @Bean
        Tokens tokens(JwtEncoder encoder, TokenSettings settings) {
            return new Tokens(encoder, settings);
        }
    }
}
