package io.attune.api.web;

import io.attune.model.json.Json;
import io.attune.model.rest.ApiError;
import io.attune.model.rest.ErrorCode;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tomcat's own error report (requests refused before they reach the application: an undecodable URL, oversized
 * headers) in the contract's JSON body instead of Tomcat's HTML page.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        ErrorCode code = ErrorBodies.codeFor(status);
        String message = switch (code) {
            case NOT_FOUND -> "no such resource";
            case INTERNAL_ERROR -> ApiExceptionHandler.INTERNAL_MESSAGE;
            case UNAVAILABLE -> "the service is unavailable; try again shortly";
            default -> "malformed request";
        };
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(Json.write(ApiError.of(code, message)));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response is already on its way: nothing more to say
        }
    }
}
