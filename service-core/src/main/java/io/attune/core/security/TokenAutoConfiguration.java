package io.attune.core.security;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import javax.crypto.spec.SecretKeySpec;

/** HS256 tokens with Spring Security's Nimbus encoder and decoder; imported by the services that check tokens. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TokenSettings.class)
public class TokenConfiguration {

    @Bean
    JwtDecoder jwtDecoder(TokenSettings settings) {
        return Tokens.decoder(settings.secretBytes());
    }

    @Bean
    JwtEncoder jwtEncoder(TokenSettings settings) {
        return new NimbusJwtEncoder(new ImmutableSecret<>(new SecretKeySpec(settings.secretBytes(), "HmacSHA256")));
    }

    @Bean
    Tokens tokens(JwtEncoder encoder, TokenSettings settings) {
        return new Tokens(encoder, settings);
    }
}
