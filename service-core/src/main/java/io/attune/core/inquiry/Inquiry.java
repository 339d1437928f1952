package io.attune.core.inquiry;

import io.attune.core.secret.SecretMask;
import io.attune.model.inquiry.Assignment;
import io.attune.model.InquiryStatus;
import io.attune.model.inquiry.InquiryOutcome.Answer;
import io.attune.model.rest.InquiryView;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

/**
 * An inquiry as stored: {@code response} in clear, for the executor; {@link #toView()} is what anyone else sees.
 * {@code assignment} is who may answer (null: anyone who can see it); {@code assignedTo} the identity when that is
 * exactly one user (the old column, kept for its readers).
 * {@code quorumAnswers} are the answers kept in {@code inquiry_response} (only for {@code approvals_required > 1},
 * null otherwise); {@link #responses()} is every answer either way.
 */
public record Inquiry(long id, long execution, String prompt, JsonNode responseSchema, Long assignedTo,
                      Assignment assignment, InquiryStatus status, JsonNode response, Long respondedBy,
                      Instant timeoutAt, Instant respondedAt, Instant created, Instant updated, int approvalsRequired,
                      String decisionField, JsonNode onTimeout, Integer remindEverySeconds, boolean defaulted,
                      List<Answer> quorumAnswers) {

    /** Every answer kept, oldest first: each approval of a quorum, or the one answer that decided it. */
    public List<Answer> responses() {
        if (quorumAnswers != null) {
            return quorumAnswers;
        }
        if (response != null && !response.isNull() && respondedBy != null && !defaulted) {
            return List.of(new Answer(response, respondedBy, respondedAt));
        }
        return List.of();
    }

    /** The inquiry as the API shows it: the schema's secrets masked in every answer and in the default answer. */
    public InquiryView toView() {
        List<Answer> shown = responses().stream()
                .map(a -> new Answer(SecretMask.mask(responseSchema, a.response()), a.respondedBy(), a.respondedAt()))
                .toList();
        JsonNode defaultShown = null;
        if (onTimeout != null && onTimeout.isObject()) {
            ObjectNode copy = ((ObjectNode) onTimeout).deepCopy();
            copy.set("response", SecretMask.mask(responseSchema, onTimeout.get("response")));
            defaultShown = copy;
        }
        return new InquiryView(id, execution, prompt, responseSchema, assignment, status,
                SecretMask.mask(responseSchema, response), respondedBy,
                timeoutAt, respondedAt, created, updated, null, approvalsRequired, decisionField, shown, defaulted,
                defaultShown, remindEverySeconds);
    }
}
