package io.attune.api.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Spring Boot's {@code /error} page: what the container reports (an exception that escaped a filter, a
 * {@code sendError} from the security firewall) is thrown again here, so that {@link ApiExceptionHandler} answers it
 * like any controller's failure.
 */
@Hidden
@RestController
public class JsonErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    void error(HttpServletRequest request) throws Exception {
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (failure instanceof Exception exception) {
            throw exception;
        } else if (failure instanceof Throwable error) {
            throw new ServletException(error);
        }
        // no status: someone asked for /error itself
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        throw new ErrorResponseException(status instanceof Integer code ? HttpStatusCode.valueOf(code)
                : HttpStatus.NOT_FOUND);
    }
}
