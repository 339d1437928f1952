package io.attune.core.link;

import io.attune.core.error.DomainException;
import io.attune.model.rest.ErrorCode;
import io.attune.core.identity.Identity;
import io.attune.core.identity.IdentityRepository;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.InquiryRepository;
import io.attune.core.inquiry.InquiryTransitions;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.util.UUID;

/**
 * Answers through a signed link: the link stands for its identity, and the answer goes through
 * {@link InquiryTransitions#respond}, so every rule of respond applies. The link is consumed in the answer's
 * transaction: an answer that is refused (a schema error, a 409) leaves it usable; of two uses exactly one answers.
 */
@Service
public class LinkAnswers {
    private final SignedLinks links;
    private final InquiryRepository inquiries;
    private final IdentityRepository identities;
    private final InquiryTransitions transitions;
    private final TransactionTemplate transactions;

    public LinkAnswers(SignedLinks links, InquiryRepository inquiries, IdentityRepository identities,
                       InquiryTransitions transitions, TransactionTemplate transactions) {
        this.links = links;
        this.inquiries = inquiries;
        this.identities = identities;
        this.transitions = transitions;
        this.transactions = transactions;
    }

    /** What a link opens, when its identity may answer its inquiry now. */
    public record Opened(SignedLinks.Link link, Inquiry inquiry, Identity identity) {
    }

    /**
     * Reads, changes nothing (GET and HEAD, link scanners, chat previews): the inquiry and identity when the link may
     * answer now; otherwise a {@link LinkRefusal}, or the {@link DomainException} respond would answer (403
     * assignee, 403 {@code SELF_APPROVAL}).
     */
    public Opened open(String token) {
        SignedLinks.Link link = links.find(token)
                .orElseThrow(() -> new LinkRefusal(LinkRefusal.Reason.UNKNOWN, "this link is not valid: it may "
                        + "have been mistyped or cut short"));
        Inquiry inquiry = inquiries.find(link.inquiry())
                .orElseThrow(() -> new LinkRefusal(LinkRefusal.Reason.UNKNOWN, "this link's inquiry is gone"));
        if (link.used()) {
            throw new LinkRefusal(LinkRefusal.Reason.USED, "this link answered inquiry " + inquiry.id() + " at "
                    + link.usedAt() + "; each link works once");
        }
        refuseUnlessOpen(inquiry);
        Identity identity = identities.findById(link.identity())
                .orElseThrow(() -> new LinkRefusal(LinkRefusal.Reason.UNKNOWN, "this link's identity is gone"));
        if (identity.disabled()) {
            throw new LinkRefusal(LinkRefusal.Reason.DISABLED, "the identity this link was made for is disabled");
        }
        try {
            transitions.mayRespond(inquiry.id(), identity.actor());
        } catch (DomainException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            // respond hides someone else's inquiry (404); the holder of a link knows it exists, but not its content
            throw new LinkRefusal(LinkRefusal.Reason.NOT_ALLOWED, "this link was made for " + identity.login()
                    + ", who may not answer this inquiry: it is assigned to someone else");
        }
        return new Opened(link, inquiry, identity);
    }

    /**
     * Answers as the link's identity and consumes the link, in one transaction; refused as {@link #open} refuses,
     * and as respond refuses the answer itself (400, 413, 422, 409), in which case the link stays usable.
     */
    public Inquiry answer(String token, JsonNode response, UUID correlationId) {
        return transactions.execute(status -> {
            Opened opened = open(token);
            if (!links.consume(opened.link().id())) {
                throw new LinkRefusal(LinkRefusal.Reason.USED, "this link has just been used; each link works once");
            }
            return transitions.respond(opened.inquiry().id(), opened.identity().actor(), response, correlationId);
        });
    }

    private void refuseUnlessOpen(Inquiry inquiry) {
        String reason = switch (inquiry.status()) {
            case PENDING -> inquiries.isPastTimeout(inquiry.id())
                    ? "inquiry " + inquiry.id() + " timed out at " + inquiry.timeoutAt() : null;
            case RESPONDED -> "inquiry " + inquiry.id() + " has already been answered";
            case TIMEOUT -> "inquiry " + inquiry.id() + " timed out at " + inquiry.timeoutAt();
            case CANCELLED -> "inquiry " + inquiry.id() + " was cancelled";
        };
        if (reason != null) {
            throw new LinkRefusal(LinkRefusal.Reason.CLOSED, reason);
        }
    }
}
