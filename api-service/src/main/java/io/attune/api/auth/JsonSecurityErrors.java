package io.attune.api.auth;

import io.attune.api.web.ApiExceptionHandler;
import io.attune.api.web.DatabaseFailures;
import io.attune.api.web.ErrorBodies;
import io.attune.model.rest.ApiError;
import io.attune.model.rest.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

import java.io.IOException;

/** 401 and 403 from the security chain in the contract's JSON body, never Spring's defaults. */
final class JsonSecurityErrors implements AuthenticationEntryPoint, AccessDeniedHandler {

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        String message;
        if (failure instanceof AuthenticationServiceException && DatabaseFailures.isUnavailable(failure)) {
            ErrorBodies.write(response, ApiError.of(ErrorCode.UNAVAILABLE, ApiExceptionHandler.UNAVAILABLE_MESSAGE));
            return;
        }
        if (failure instanceof OAuth2AuthenticationException) { // a token was sent, but it is no good
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
            message = "the access token is invalid or has expired; log in again";
        } else {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            message = "authentication required: send Authorization: Bearer <token> (POST /auth/login gives one)";
        }
        ErrorBodies.write(response, ApiError.of(ErrorCode.UNAUTHORIZED, message));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        ErrorBodies.write(response, ApiError.of(ErrorCode.FORBIDDEN, "this needs the admin role"));
    }
}
