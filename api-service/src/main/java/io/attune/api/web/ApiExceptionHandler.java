package io.attune.api.web;

import io.attune.core.error.DomainException;
import io.attune.core.error.Failures;
import io.attune.model.WireEnums;
import io.attune.model.rest.ApiError;
import io.attune.model.rest.ApiError.ErrorDetail;
import io.attune.model.rest.ErrorCode;
import jakarta.servlet.RequestDispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The one place that turns a failed request into the contract's error body {@code {"error","code","details"}}.
 * Spring MVC's own refusals (malformed JSON, wrong parameter types, unknown routes, wrong methods) arrive through
 * {@link ResponseEntityExceptionHandler} with their status; refusals decided by the core carry their code
 * ({@link DomainException}); the security chain's 401 and 403, the body-size filter's 413 and what the container
 * reports on {@code /error} are handed here through Spring's {@code HandlerExceptionResolver}. Each becomes a
 * {@link ProblemDetail} (the message as its detail, the contract's code and details as properties), and
 * {@link #render} writes that as the body; Tomcat's own refusals ({@link JsonErrorReportValve}) use it too. A
 * database that is away is 503; anything else unexpected is our defect: 500 with a generic message, logged here with
 * its stack trace. Messages name the problem but never our internals.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    static final String UNAVAILABLE_MESSAGE = "the database is unavailable; try again shortly";
    static final String INTERNAL_MESSAGE = "an unexpected error occurred; it has been logged";
    /** The problem's properties that carry the contract's code and details. */
    private static final String CODE = "code";
    private static final String DETAILS = "details";

    @ExceptionHandler(DomainException.class)
    ResponseEntity<Object> domain(DomainException e, WebRequest request) {
        HttpHeaders headers = new HttpHeaders();
        e.retryAfterSeconds().ifPresent(seconds -> headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds)));
        return refuse(e.code(), e.getMessage(), e.details(), headers, request);
    }

    /** From the security chain's entry point: no token, or one that is no good, or a database that cannot check it. */
    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<Object> unauthenticated(AuthenticationException e, WebRequest request) {
        if (e instanceof AuthenticationServiceException && isUnavailable(e)) {
            return refuse(ErrorCode.UNAVAILABLE, UNAVAILABLE_MESSAGE, request);
        }
        boolean badToken = e instanceof OAuth2AuthenticationException; // a token was sent, but it is no good
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, badToken ? "Bearer error=\"invalid_token\"" : "Bearer");
        return refuse(ErrorCode.UNAUTHORIZED, badToken ? "the access token is invalid or has expired; log in again"
                : "authentication required: send Authorization: Bearer <token> (POST /auth/login gives one)",
                List.of(), headers, request);
    }

    /** From the security chain's access-denied handler: its only rules that refuse a signed-in user are admin-only. */
    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Object> accessDenied(AccessDeniedException e, WebRequest request) {
        return refuse(ErrorCode.FORBIDDEN, "this needs the admin role", request);
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Object> integrity(DataIntegrityViolationException e, WebRequest request) {
        if (Failures.isUnstorableValue(e)) {
            return refuse(ErrorCode.BAD_REQUEST,
                    "the request holds a value that cannot be stored (a \\u0000 character in a string, say)", request);
        }
        return unexpected(e, request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, WebRequest request) {
        if (isUnavailable(e)) {
            log.warn("Database unavailable during {}: {}", describe(request), e.toString());
            return refuse(ErrorCode.UNAVAILABLE, UNAVAILABLE_MESSAGE, request);
        }
        log.error("Unexpected failure during {}", describe(request), e);
        return refuse(ErrorCode.INTERNAL_ERROR, INTERNAL_MESSAGE, request);
    }

    /** Every Spring MVC refusal ends here, as an {@code ErrorResponse}'s problem with its status. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        if (status.is5xxServerError()) {
            return unexpected(e, request);
        }
        ProblemDetail problem = body instanceof ProblemDetail spring ? spring : ProblemDetail.forStatus(status);
        describe(e, problem);
        return super.handleExceptionInternal(e, problem, headers, status, request);
    }

    /** Every answer of this class passes here: the problem rendered as the contract's body, always as JSON. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
                                                          WebRequest request) {
        HttpHeaders all = new HttpHeaders();
        all.putAll(headers);
        // preset, so that the error is JSON whatever the client's Accept header asked for
        all.setContentType(MediaType.APPLICATION_JSON);
        return new ResponseEntity<>(render(body instanceof ProblemDetail problem ? problem
                : ProblemDetail.forStatus(status)), all, status);
    }

    private ResponseEntity<Object> refuse(ErrorCode code, String message, WebRequest request) {
        return refuse(code, message, List.of(), new HttpHeaders(), request);
    }

    private ResponseEntity<Object> refuse(ErrorCode code, String message, List<ErrorDetail> details,
                                          HttpHeaders headers, WebRequest request) {
        HttpStatusCode status = HttpStatusCode.valueOf(code.httpStatus());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, message);
        problem.setProperty(CODE, code);
        problem.setProperty(DETAILS, details);
        return createResponseEntity(problem, headers, status, request);
    }

    /**
     * The contract's body for a problem: its detail (else a message for its status), its {@code code} (else the
     * status's code) and its {@code details}. Statuses the contract has no code for (405, 406, 415) travel with their
     * own status and the code {@code BAD_REQUEST}: the client sent something this API does not take.
     */
    @SuppressWarnings("unchecked")
    static ApiError render(ProblemDetail problem) {
        Map<String, Object> properties = problem.getProperties() == null ? Map.of() : problem.getProperties();
        int status = problem.getStatus();
        ErrorCode code = properties.get(CODE) instanceof ErrorCode given ? given : Arrays.stream(ErrorCode.values())
                .filter(c -> c.httpStatus() == status).findFirst()
                .orElse(status == 503 ? ErrorCode.UNAVAILABLE : status >= 500 ? ErrorCode.INTERNAL_ERROR
                        : ErrorCode.BAD_REQUEST);
        String message = problem.getDetail() != null ? problem.getDetail() : switch (status) {
            case 400 -> "malformed request";
            case 404 -> "no such resource";
            case 500 -> INTERNAL_MESSAGE;
            case 503 -> "the service is unavailable; try again shortly";
            default -> HttpStatus.resolve(status) == null ? "request refused"
                    : HttpStatus.resolve(status).getReasonPhrase().toLowerCase(Locale.ROOT);
        };
        return new ApiError(message, code, (List<ErrorDetail>) properties.getOrDefault(DETAILS, List.of()));
    }

    /**
     * One of Spring MVC's problems, told in the API's terms: Spring's own detail names Java types, so it is replaced;
     * a refusal not told here gets its status's message.
     */
    private static void describe(Exception e, ProblemDetail problem) {
        problem.setDetail(null);
        if (e instanceof HttpMessageNotReadableException unreadable) {
            describeUnreadable(unreadable.getCause(), problem);
        } else if (e instanceof MethodArgumentTypeMismatchException mismatch) {
            String what = mismatch.getName() + " must be " + expected(mismatch.getRequiredType());
            say(problem, "invalid parameter: " + what,
                    new ErrorDetail(mismatch.getName(), what + ", not '" + mismatch.getValue() + "'"));
        } else if (e instanceof TypeMismatchException mismatch) {
            String name = mismatch.getPropertyName() == null ? "parameter" : mismatch.getPropertyName();
            say(problem, "invalid parameter: " + name + " must be " + expected(mismatch.getRequiredType()));
        } else if (e instanceof MissingServletRequestParameterException missing) {
            say(problem, "missing parameter: " + missing.getParameterName(),
                    new ErrorDetail(missing.getParameterName(), "is required"));
        } else if (e instanceof MissingRequestHeaderException missing) {
            say(problem, "missing header: " + missing.getHeaderName());
        } else if (e instanceof HttpRequestMethodNotSupportedException method) {
            Object allowed = method.getSupportedHttpMethods();
            say(problem, "method " + method.getMethod() + " is not allowed here"
                    + (allowed == null ? "" : "; allowed: " + allowed));
        } else if (e instanceof HttpMediaTypeNotSupportedException) {
            say(problem, "request bodies must be application/json");
        } else if (e instanceof HttpMediaTypeNotAcceptableException) {
            say(problem, "responses are application/json");
        }
    }

    private static void describeUnreadable(Throwable cause, ProblemDetail problem) {
        if (cause instanceof MismatchedInputException mismatch) {
            say(problem, "the request body does not have the expected shape",
                    new ErrorDetail(pointer(mismatch), "expected " + expected(mismatch.getTargetType())));
        } else if (cause instanceof StreamReadException malformed) {
            String where = malformed.getLocation() == null ? ""
                    : " (line " + malformed.getLocation().getLineNr() + ", column "
                    + malformed.getLocation().getColumnNr() + ")";
            say(problem, "the request body is not valid JSON",
                    new ErrorDetail("", firstLine(malformed.getOriginalMessage()) + where));
        } else if (cause instanceof JacksonException jackson) {
            say(problem, "the request body could not be read", new ErrorDetail(pointer(jackson), "invalid value"));
        } else {
            say(problem, "a JSON request body is required");
        }
    }

    private static void say(ProblemDetail problem, String message, ErrorDetail... details) {
        problem.setDetail(message);
        problem.setProperty(DETAILS, List.of(details));
    }

    /** What a value of the given type looks like, in JSON terms (never a Java class name). */
    private static String expected(Class<?> type) {
        if (type == null) {
            return "a valid value";
        }
        if (type.isEnum()) {
            return "one of " + acceptedWireNames(type);
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class
                || type == Short.class || type == short.class || type == java.math.BigInteger.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (JsonNode.class.isAssignableFrom(type)) {
            return "a JSON value";
        }
        return "an object";
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String acceptedWireNames(Class<?> type) {
        return WireEnums.accepted((Class) type);
    }

    private static String pointer(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            path.append('/');
            if (ref.getPropertyName() != null) {
                path.append(ref.getPropertyName().replace("~", "~0").replace("/", "~1"));
            } else if (ref.getIndex() >= 0) {
                path.append(ref.getIndex());
            }
        }
        return path.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static boolean isUnavailable(Throwable failure) {
        // the database cannot be reached, or gave this request up for others' (a deadlock): worth retrying
        return Failures.isOutage(failure) || Failures.isContention(failure);
    }

    private static String describe(WebRequest request) {
        if (request instanceof ServletWebRequest servlet) {
            // on the container's /error dispatch, the request that failed
            Object failed = servlet.getRequest().getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            return servlet.getRequest().getMethod() + " "
                    + (failed != null ? failed : servlet.getRequest().getRequestURI());
        }
        return request.getDescription(false);
    }
}
