package io.attune.api.web;

import io.attune.model.rest.ApiError;
import io.attune.model.rest.ErrorCode;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Spring Boot's {@code /error} page: what the container reports (an exception that escaped a filter, a
 * {@code sendError} from Tomcat or the security firewall) gets the same JSON body as everything else.
 */
@Hidden
@RestController
public class JsonErrorController implements ErrorController {
    private static final Logger log = LoggerFactory.getLogger(JsonErrorController.class);

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<Object> error(HttpServletRequest request) {
        Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Throwable failure = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (statusAttribute == null) { // someone asked for /error itself
            return ErrorBodies.entity(ApiError.of(ErrorCode.NOT_FOUND, "no such resource"));
        }
        int status = (Integer) statusAttribute;
        if (failure != null && DatabaseFailures.isUnavailable(failure)) {
            return ErrorBodies.entity(ApiError.of(ErrorCode.UNAVAILABLE, ApiExceptionHandler.UNAVAILABLE_MESSAGE));
        }
        if (status >= 500) {
            log.error("Unexpected failure during {}", request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI), failure);
            return ErrorBodies.entity(ApiError.of(ErrorCode.INTERNAL_ERROR, ApiExceptionHandler.INTERNAL_MESSAGE));
        }
        ErrorCode code = ErrorBodies.codeFor(status);
        String message = code == ErrorCode.NOT_FOUND ? "no such resource" : "request refused";
        if (status == 400) {
            message = "malformed request";
        }
        return ErrorBodies.entity(HttpStatusCode.valueOf(status), ApiError.of(code, message), null);
    }
}
