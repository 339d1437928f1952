package io.attune.api.link;

import io.attune.core.error.DomainException;
import io.attune.core.execution.ExecutionRepository;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.ResultMask;
import io.attune.core.link.LinkAnswers;
import io.attune.core.link.LinkRefusal;
import io.attune.core.link.SignedLinks;
import io.attune.core.secret.SecretMask;
import io.attune.model.rest.DataResponse;
import io.attune.model.rest.ErrorCode;
import io.attune.model.rest.InquiryView;
import io.attune.model.rest.RespondRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.UUID;

import static io.attune.api.inquiry.InquiryController.CORRELATION_HEADER;

/**
 * Signed links, {@code /a/{token}}: the token in the URL is the credential (no sign-in, no cookie). GET and HEAD only
 * read, so link scanners and chat previews change nothing; POST answers as the link's identity through the core's
 * {@link LinkAnswers}, which applies every rule of respond and consumes the link with the answer.
 */
@RestController
@Tag(name = "signed links")
public class SignedLinkController {
    private static final Logger log = LoggerFactory.getLogger(SignedLinkController.class);
    private static final MediaType HTML = new MediaType("text", "html", java.nio.charset.StandardCharsets.UTF_8);

    private final LinkAnswers answers;
    private final SignedLinks links;
    private final ExecutionRepository executions;
    private final ResultMask results;

    public SignedLinkController(LinkAnswers answers, SignedLinks links, ExecutionRepository executions,
                                ResultMask results) {
        this.answers = answers;
        this.links = links;
        this.executions = executions;
        this.results = results;
    }

    @GetMapping(value = "/a/{token}", produces = MediaType.TEXT_HTML_VALUE)
    @Operation(summary = "A signed link's confirmation page: the inquiry, its context and a form; changes nothing")
    public ResponseEntity<String> show(@PathVariable String token) {
        try {
            LinkAnswers.Opened opened = answers.open(token);
            return html(200, LinkPages.form(opened.inquiry(), opened.identity(), context(opened.inquiry()),
                    links.viewLink(opened.inquiry().id()), null, List.of()));
        } catch (RuntimeException e) {
            return refusal(e, token);
        }
    }

    @PostMapping(value = "/a/{token}", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
            produces = MediaType.TEXT_HTML_VALUE)
    @Operation(summary = "Answer through a signed link with the page's form (application/x-www-form-urlencoded)")
    public ResponseEntity<String> answerForm(@PathVariable String token, HttpServletRequest request,
                                             @RequestHeader(name = CORRELATION_HEADER, required = false)
                                             UUID correlationId) {
        LinkAnswers.Opened opened;
        try {
            opened = answers.open(token);
        } catch (RuntimeException e) {
            return refusal(e, token);
        }
        Inquiry inquiry = opened.inquiry();
        LinkForm.Submission submission = LinkForm.read(inquiry.responseSchema(), request.getParameterMap());
        if (!submission.problems().isEmpty()) {
            return html(422, LinkPages.form(inquiry, opened.identity(), context(inquiry), links.viewLink(inquiry.id()),
                    submission.response(), submission.problems()));
        }
        try {
            Inquiry answered = answers.answer(token, submission.response(), correlationId);
            return html(200, LinkPages.answered(answered, answered.toView().response(), links.viewLink(answered.id())));
        } catch (DomainException e) {
            if (e.code() == ErrorCode.VALIDATION_ERROR || e.code() == ErrorCode.BAD_REQUEST
                    || e.code() == ErrorCode.PAYLOAD_TOO_LARGE) {
                // the page again, with what was typed (secrets excepted) and each error by its field
                List<io.attune.model.rest.ApiError.ErrorDetail> details = e.details().isEmpty()
                        ? List.of(new io.attune.model.rest.ApiError.ErrorDetail("", e.getMessage())) : e.details();
                return html(e.code().httpStatus(), LinkPages.form(inquiry, opened.identity(), context(inquiry),
                        links.viewLink(inquiry.id()), withoutSecrets(inquiry, submission.response()), details));
            }
            return refusal(e, token);
        } catch (RuntimeException e) {
            return refusal(e, token);
        }
    }

    @PostMapping(value = "/a/{token}", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Answer through a signed link with {\"response\": {…}}; errors as the REST API's")
    public ResponseEntity<DataResponse<InquiryView>> answerJson(@PathVariable String token,
                                                                @RequestBody RespondRequest body,
                                                                @RequestHeader(name = CORRELATION_HEADER,
                                                                        required = false) UUID correlationId) {
        Inquiry answered = answers.answer(token, body == null ? null : body.response(), correlationId);
        return ResponseEntity.ok().cacheControl(CacheControl.noStore())
                .body(DataResponse.of(answered.toView(), "Response submitted successfully"));
    }

    /** What was typed, to fill the form again, without the values the schema marks secret (typed again). */
    private static JsonNode withoutSecrets(Inquiry inquiry, JsonNode typed) {
        if (typed == null || !typed.isContainer()) {
            return typed;
        }
        JsonNode copy = typed.deepCopy();
        for (String pointer : SecretMask.secretPointers(inquiry.responseSchema(), typed)) {
            int slash = pointer.lastIndexOf('/');
            JsonNode parent = slash <= 0 ? copy : copy.at(pointer.substring(0, slash));
            String last = pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
            if (pointer.isEmpty()) {
                return null;
            } else if (parent instanceof ObjectNode object) {
                object.remove(last);
            } else if (parent instanceof tools.jackson.databind.node.ArrayNode array && last.matches("\\d+")) {
                array.set(Integer.parseInt(last), tools.jackson.databind.node.NullNode.getInstance());
            }
        }
        return copy;
    }

    /** The execution's result as the action reported it when it asked, without the question itself, secrets masked. */
    private JsonNode context(Inquiry inquiry) {
        return executions.find(inquiry.execution()).map(e -> {
            JsonNode shown = results.shown(e.result());
            if (shown instanceof ObjectNode object) {
                ObjectNode copy = object.deepCopy();
                copy.remove("__inquiry");
                return (JsonNode) copy;
            }
            return shown;
        }).orElse(null);
    }

    private ResponseEntity<String> refusal(RuntimeException e, String token) {
        if (e instanceof LinkRefusal refusal) {
            return html(refusal.code().httpStatus(), LinkPages.refused(refusal.reason().title(), refusal.getMessage(),
                    refusal.reason() == LinkRefusal.Reason.UNKNOWN ? null : viewLinkOf(token)));
        }
        if (e instanceof DomainException domain) {
            String title = switch (domain.code()) {
                case SELF_APPROVAL -> "Someone else must answer this";
                case FORBIDDEN -> "This link cannot answer this inquiry";
                case CONFLICT -> "This inquiry is closed";
                case NOT_FOUND -> "Link not found";
                default -> "The answer was not accepted";
            };
            return html(domain.code().httpStatus(), LinkPages.refused(title, domain.getMessage(), viewLinkOf(token)));
        }
        if (e instanceof DataAccessException) {
            log.warn("signed link: the database is unavailable: {}", e.getClass().getSimpleName());
            return html(503, LinkPages.refused("Attune is unavailable", "the database cannot be reached; try again "
                    + "in a moment", null));
        }
        log.error("signed link: unexpected failure", e);
        return html(500, LinkPages.refused("Something went wrong", "the answer could not be handled; try again or "
                + "answer in Attune", null));
    }

    private String viewLinkOf(String token) {
        try {
            return links.find(token).map(l -> links.viewLink(l.inquiry())).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static ResponseEntity<String> html(int status, String page) {
        return ResponseEntity.status(status).contentType(HTML).cacheControl(CacheControl.noStore())
                .header("X-Robots-Tag", "noindex, nofollow").body(page);
    }

}
