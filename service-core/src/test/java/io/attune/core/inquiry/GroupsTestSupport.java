package io.attune.core.inquiry;

import io.attune.core.CoreIntegrationTest;
import io.attune.core.execution.Execution;
import io.attune.core.identity.Actor;
import io.attune.core.identity.GroupRepository;
import io.attune.core.identity.Identity;
import io.attune.model.json.Json;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Arrays;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What the group-assignment and escalation tests share: groups made on the spot, inquiries opened from JSON. */
abstract class GroupsTestSupport extends CoreIntegrationTest {
    @Autowired
    protected InquiryTransitions transitions;
    @Autowired
    protected InquiryRequestValidator validator;
    @Autowired
    protected InquiryRepository inquiries;
    @Autowired
    protected GroupRepository groups;
    @Autowired
    protected TransactionTemplate transactions;

    /** A new group of these members; its name. */
    protected String group(Identity... members) {
        String name = "g-" + UUID.randomUUID().toString().substring(0, 8);
        groups.replaceMembers(groups.create(name), Arrays.stream(members).map(Identity::id).toList());
        return name;
    }

    /** The actor as the database has it now (roles and groups), as the services build it from a token. */
    protected Actor fresh(Identity identity) {
        return identities.findById(identity.id()).orElseThrow().actor();
    }

    /** An inquiry opened, as the executor opens one, from an {@code __inquiry} that must be valid. */
    protected Inquiry open(String inquiryJson) {
        InquiryRequestValidator.Result checked = validator.validate(Json.tree(inquiryJson));
        assertThat(checked.problems()).isEmpty();
        Execution execution = runningExecution();
        return transactions.execute(tx -> transitions.open(executions.lock(execution.id()).orElseThrow(),
                checked.request(), Json.tree("{\"__inquiry\": {}}"), null));
    }
}
