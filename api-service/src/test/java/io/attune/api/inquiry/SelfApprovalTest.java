package io.attune.api.inquiry;

import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.core.execution.Execution;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.core.inquiry.Inquiry;
import io.attune.model.InquiryStatus;
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The identity that requested an execution may not answer its inquiry, unless the inquiry allows it. */
class SelfApprovalTest extends ApiIntegrationTest {
    private static final String APPROVE = "{\"response\": {\"approved\": true}}";

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
    }

    @Test
    void theRequesterIsRefusedAndAColleagueAnswers() {
        Identity requester = identity(Role.ADMIN); // even an admin
        Identity colleague = identity(Role.USER);
        Inquiry inquiry = inquiryRequestedBy(requester, false);

        Response refused = api().post("/api/v1/inquiries/" + inquiry.id() + "/respond", token(requester), APPROVE);
        assertError(refused, 403, "SELF_APPROVAL");
        assertThat(inquiries().status()).isEqualTo(InquiryStatus.PENDING);

        Response answered = api().post("/api/v1/inquiries/" + inquiry.id() + "/respond", token(colleague), APPROVE);
        assertThat(answered.status()).as("%s", answered).isEqualTo(200);
        assertThat(answered.data().get("responded_by").asLong()).isEqualTo(colleague.id());
    }

    @Test
    void anInquiryThatAllowsItIsAnsweredByItsRequester() {
        Identity requester = identity(Role.USER);
        Inquiry inquiry = inquiryRequestedBy(requester, true);
        Response answered = api().post("/api/v1/inquiries/" + inquiry.id() + "/respond", token(requester), APPROVE);
        assertThat(answered.status()).as("%s", answered).isEqualTo(200);
    }

    private Inquiry last;

    private Inquiry inquiries() {
        return inquiryTransitions.visible(last.id(), io.attune.core.identity.Actor.SYSTEM);
    }

    private Inquiry inquiryRequestedBy(Identity requester, boolean allowSelfApproval) {
        Execution execution = executions.insert("examples.deploy_approval", Json.object(), requester.id());
        last = transactions.execute(tx -> inquiryTransitions.open(executions.lock(execution.id()).orElseThrow(),
                new InquiryRequest("Deploy?", APPROVAL_SCHEMA, null, 600L, allowSelfApproval),
                Json.tree("{\"__inquiry\": {}}"), null));
        return last;
    }
}
