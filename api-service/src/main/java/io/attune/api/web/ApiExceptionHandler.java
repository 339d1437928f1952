package io.attune.api.web;

import io.attune.core.error.DomainException;
import io.attune.model.WireEnums;
import io.attune.model.rest.ApiError;
import io.attune.model.rest.ApiError.ErrorDetail;
import io.attune.model.rest.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
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
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The one place that turns a failed request into the contract's error body. Refusals decided by the core carry
 * their code ({@link DomainException}); Spring MVC's own refusals (malformed JSON, wrong parameter types, unknown
 * routes, wrong methods) become 4xx with a message that names the problem but never our internals; a database that
 * is away is 503; anything else is our defect: 500 with a generic message, logged here with its stack trace.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    public static final String UNAVAILABLE_MESSAGE = "the database is unavailable; try again shortly";
    static final String INTERNAL_MESSAGE = "an unexpected error occurred; it has been logged";

    @ExceptionHandler(DomainException.class)
    ResponseEntity<Object> domain(DomainException e) {
        HttpHeaders headers = new HttpHeaders();
        e.retryAfterSeconds().ifPresent(seconds -> headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds)));
        return ErrorBodies.entity(HttpStatusCode.valueOf(e.code().httpStatus()), e.toApiError(), headers);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Object> accessDenied(AccessDeniedException e) {
        return ErrorBodies.entity(ApiError.of(ErrorCode.FORBIDDEN, "you may not do this"));
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Object> integrity(DataIntegrityViolationException e, WebRequest request) {
        if (DatabaseFailures.isUnstorableValue(e)) {
            return ErrorBodies.entity(ApiError.of(ErrorCode.BAD_REQUEST,
                    "the request holds a value that cannot be stored (a \\u0000 character in a string, say)"));
        }
        return unexpected(e, request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, WebRequest request) {
        if (DatabaseFailures.isUnavailable(e)) {
            log.warn("Database unavailable during {}: {}", describe(request), e.toString());
            return ErrorBodies.entity(ApiError.of(ErrorCode.UNAVAILABLE, UNAVAILABLE_MESSAGE));
        }
        log.error("Unexpected failure during {}", describe(request), e);
        return ErrorBodies.entity(ApiError.of(ErrorCode.INTERNAL_ERROR, INTERNAL_MESSAGE));
    }

    /** Every Spring MVC refusal ends here: answer with the contract's body instead of a problem detail. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        if (status.is5xxServerError()) {
            return unexpected(e, request);
        }
        return ErrorBodies.entity(status, describe(e, status), headers);
    }

    static ApiError describe(Exception e, HttpStatusCode status) {
        ErrorCode code = ErrorBodies.codeFor(status.value());
        if (e instanceof HttpMessageNotReadableException unreadable) {
            return unreadable(unreadable);
        } else if (e instanceof MethodArgumentTypeMismatchException mismatch) {
            String what = mismatch.getName() + " must be " + expected(mismatch.getRequiredType(), mismatch);
            return new ApiError("invalid parameter: " + what, code,
                    List.of(new ErrorDetail(mismatch.getName(), what + ", not '" + mismatch.getValue() + "'")));
        } else if (e instanceof TypeMismatchException mismatch) {
            String name = mismatch.getPropertyName() == null ? "parameter" : mismatch.getPropertyName();
            return new ApiError("invalid parameter: " + name + " must be " + expected(mismatch.getRequiredType(),
                    mismatch), code, List.of());
        } else if (e instanceof MissingServletRequestParameterException missing) {
            return new ApiError("missing parameter: " + missing.getParameterName(), code,
                    List.of(new ErrorDetail(missing.getParameterName(), "is required")));
        } else if (e instanceof MissingRequestHeaderException missing) {
            return new ApiError("missing header: " + missing.getHeaderName(), code, List.of());
        } else if (e instanceof HttpRequestMethodNotSupportedException method) {
            return new ApiError("method " + method.getMethod() + " is not allowed here"
                    + (method.getSupportedHttpMethods() == null ? "" : "; allowed: " + method.getSupportedHttpMethods()),
                    code, List.of());
        } else if (e instanceof HttpMediaTypeNotSupportedException) {
            return new ApiError("request bodies must be application/json", code, List.of());
        } else if (e instanceof HttpMediaTypeNotAcceptableException) {
            return new ApiError("responses are application/json", code, List.of());
        } else if (e instanceof NoResourceFoundException || e instanceof NoHandlerFoundException) {
            return new ApiError("no such resource", ErrorCode.NOT_FOUND, List.of());
        }
        HttpStatus known = HttpStatus.resolve(status.value());
        return new ApiError(known == null ? "request refused" : known.getReasonPhrase().toLowerCase(), code, List.of());
    }

    private static ApiError unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause instanceof MismatchedInputException mismatch) {
            String path = pointer(mismatch);
            return new ApiError("the request body does not have the expected shape", ErrorCode.BAD_REQUEST,
                    List.of(new ErrorDetail(path, "expected " + expected(mismatch.getTargetType(), null))));
        } else if (cause instanceof StreamReadException malformed) {
            String where = malformed.getLocation() == null ? ""
                    : " (line " + malformed.getLocation().getLineNr() + ", column "
                    + malformed.getLocation().getColumnNr() + ")";
            return new ApiError("the request body is not valid JSON", ErrorCode.BAD_REQUEST,
                    List.of(new ErrorDetail("", firstLine(malformed.getOriginalMessage()) + where)));
        } else if (cause instanceof JacksonException jackson) {
            return new ApiError("the request body could not be read", ErrorCode.BAD_REQUEST,
                    List.of(new ErrorDetail(pointer(jackson), "invalid value")));
        }
        return new ApiError("a JSON request body is required", ErrorCode.BAD_REQUEST, List.of());
    }

    /** What a value of the given type looks like, in JSON terms (never a Java class name). */
    private static String expected(Class<?> type, Exception failure) {
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

    private static String describe(WebRequest request) {
        if (request instanceof ServletWebRequest servlet) {
            return servlet.getRequest().getMethod() + " " + servlet.getRequest().getRequestURI();
        }
        return request.getDescription(false);
    }
}
