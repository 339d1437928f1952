package io.attune.model.rest;

/** What {@code POST /auth/login} answers inside {@code data}. */
public record TokenResponse(String accessToken, String tokenType, long expiresIn, UserView user) {

    public static TokenResponse bearer(String accessToken, long expiresIn, UserView user) {
        return new TokenResponse(accessToken, "Bearer", expiresIn, user);
    }
}
