package io.attune.core.inquiry;

import io.attune.core.error.DomainException;
import io.attune.core.identity.Actor;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.model.InquiryStatus;
import io.attune.model.inquiry.Assignment;
import io.attune.model.json.Json;
import io.attune.model.rest.ErrorCode;
import io.attune.model.rest.InquirySummary;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Groups and lists in assigned_to: validation, who may answer, and the one visibility rule in SQL and Java. */
class GroupAssignmentTest extends GroupsTestSupport {
    static final JsonNode SCHEMA = InquiryTransitionsTest.APPROVAL_SCHEMA;
    static final JsonNode YES = Json.tree("{\"approved\": true}");

    static void assertRefused(Runnable call, ErrorCode code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(DomainException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void theShapesOfAssignedToAreValidatedAndNamesMustExist() {
        Identity ada = identity(Role.USER);
        String sre = group(ada);
        for (String good : List.of(Long.toString(ada.id()), "{\"user\": " + ada.id() + "}", "{\"group\": \"" + sre + "\"}",
                "[" + ada.id() + ", {\"group\": \"" + sre + "\"}]")) {
            InquiryRequestValidator.Result result = validator.validate(Json.tree(
                    "{\"prompt\": \"Go?\", \"assigned_to\": " + good + "}"));
            assertThat(result.problems()).as(good).isEmpty();
            assertThat(result.request().assignedTo().given()).hasToString(Json.tree(good).toString());
        }
        for (String bad : List.of("\"ada\"", "[]", "{\"team\": \"sre\"}", "{\"user\": 1, \"group\": \"x\"}",
                "{\"group\": \"no spaces allowed\"}", "[[1]]", "{\"group\": \"nobody-has-this-group\"}",
                "[{\"user\": 999999999}]", "-3", "1.5")) {
            InquiryRequestValidator.Result result = validator.validate(Json.tree(
                    "{\"prompt\": \"Go?\", \"assigned_to\": " + bad + "}"));
            assertThat(result.isValid()).as(bad).isFalse();
            assertThat(result.problems()).as(bad).allSatisfy(p -> assertThat(p.path()).isEqualTo("/assigned_to"));
        }
    }

    @Test
    void aMemberOfAnAssignedGroupAnswersAndNobodyElse() {
        Identity ada = identity(Role.USER);
        Identity bob = identity(Role.USER);
        Identity admin = identity(Role.ADMIN);
        String sre = group(ada);
        Inquiry inquiry = open("{\"prompt\": \"Deploy?\", \"response_schema\": " + SCHEMA
                + ", \"assigned_to\": {\"group\": \"" + sre + "\"}}");
        assertThat(inquiry.assignedTo()).isNull(); // the old column: not a single user
        assertThat(inquiry.toView().assignedTo().given()).hasToString("{\"group\":\"" + sre + "\"}");

        assertRefused(() -> transitions.visible(inquiry.id(), fresh(bob)), ErrorCode.NOT_FOUND);
        assertRefused(() -> transitions.respond(inquiry.id(), fresh(bob), YES, null), ErrorCode.NOT_FOUND);
        assertRefused(() -> transitions.respond(inquiry.id(), fresh(admin), YES, null), ErrorCode.FORBIDDEN);
        assertThat(transitions.respond(inquiry.id(), fresh(ada), YES, null).status())
                .isEqualTo(InquiryStatus.RESPONDED);
    }

    @Test
    void membershipHoldsAsItIsNowEvenWhenTheActorIsAFewSecondsOld() {
        Identity ada = identity(Role.USER);
        Identity bob = identity(Role.USER);
        String sre = group(ada);
        Inquiry inquiry = open("{\"prompt\": \"Deploy?\", \"assigned_to\": [{\"user\": " + bob.id()
                + "}, {\"group\": \"" + sre + "\"}]}");
        Actor adaWhileMember = fresh(ada);
        groups.replaceMembers(groups.find(sre).orElseThrow().id(), List.of());
        // the database decides the answer: ada's token still says she is in the group, she is not any more
        assertRefused(() -> transitions.respond(inquiry.id(), adaWhileMember, YES, null), ErrorCode.FORBIDDEN);
        assertThat(inquiries.page(new InquiryQuery(null, null, null, 1, 100), fresh(ada)).rows())
                .extracting(InquirySummary::id).doesNotContain(inquiry.id());
        assertThat(transitions.respond(inquiry.id(), fresh(bob), YES, null).respondedBy()).isEqualTo(bob.id());
    }

    @Test
    void listsAndTotalsFollowGroupsAndAssignedToMeIncludesThem() {
        Identity ada = identity(Role.USER);
        Identity bob = identity(Role.USER);
        String sre = group(ada);
        Inquiry toGroup = open("{\"prompt\": \"group\", \"assigned_to\": {\"group\": \"" + sre + "\"}}");
        Inquiry toAda = open("{\"prompt\": \"ada\", \"assigned_to\": " + ada.id() + "}");
        Inquiry toBoth = open("{\"prompt\": \"both\", \"assigned_to\": [" + bob.id() + ", {\"group\": \"" + sre
                + "\"}]}");
        Inquiry toBob = open("{\"prompt\": \"bob\", \"assigned_to\": {\"user\": " + bob.id() + "}}");

        InquiryRepository.Page mine = inquiries.page(new InquiryQuery(InquiryStatus.PENDING, null, ada.id(), 1, 100),
                fresh(ada));
        assertThat(mine.rows()).extracting(InquirySummary::id)
                .containsExactly(toBoth.id(), toAda.id(), toGroup.id());
        assertThat(mine.total()).isEqualTo(3);
        InquiryRepository.Page bobs = inquiries.page(new InquiryQuery(InquiryStatus.PENDING, null, bob.id(), 1, 100),
                fresh(bob));
        assertThat(bobs.rows()).extracting(InquirySummary::id).containsExactly(toBob.id(), toBoth.id());
        assertThat(bobs.total()).isEqualTo(2);
        // everything ada can see: hers, her group's and the unassigned ones, counted exactly
        InquiryRepository.Page all = inquiries.page(new InquiryQuery(null, null, null, 1, 1000), fresh(ada));
        long counted = jdbc.sql("SELECT count(*) FROM attune.inquiry WHERE attune.inquiry_visible(assignee_keys, ?, "
                + "false)").param(ada.id()).query(Long.class).single();
        assertThat(all.total()).isEqualTo(counted);
        assertThat(all.rows()).extracting(InquirySummary::id).contains(toGroup.id(), toAda.id(), toBoth.id())
                .doesNotContain(toBob.id());
        // bob filtering on ada sees only what is assigned to both of them
        assertThat(inquiries.page(new InquiryQuery(null, null, ada.id(), 1, 100), fresh(bob)).rows())
                .extracting(InquirySummary::id).containsExactly(toBoth.id());
    }

    @Test
    void javaAndSqlAgreeOnWhoSeesAndWhoMayAnswer() {
        Identity ada = identity(Role.USER);
        Identity bob = identity(Role.USER);
        Identity cyd = identity(Role.USER);
        Identity admin = identity(Role.ADMIN);
        String sre = group(ada, bob);
        String dba = group(bob);
        group(cyd); // a group nobody assigns
        String empty = group();
        List<String> assignments = List.of("null", Long.toString(ada.id()), "{\"user\": " + bob.id() + "}",
                "{\"group\": \"" + sre + "\"}", "{\"group\": \"" + empty + "\"}",
                "[{\"group\": \"" + dba + "\"}, " + cyd.id() + "]", "[{\"group\": \"" + empty + "\"}, " + admin.id()
                        + ", {\"user\": " + ada.id() + "}]");
        List<Inquiry> opened = new ArrayList<>();
        for (String assignment : assignments) {
            opened.add(open("{\"prompt\": \"Which?\", \"assigned_to\": " + assignment + "}"));
        }
        int checked = 0;
        for (Identity who : List.of(ada, bob, cyd, admin)) {
            Actor actor = fresh(who);
            for (Inquiry inquiry : opened) {
                Boolean[] sql = jdbc.sql("SELECT attune.inquiry_visible(assignee_keys, ?, ?), "
                                + "attune.may_answer_inquiry(assignee_keys, ?), "
                                + "(assignee_keys @> attune.assignee_keys(assignment) AND assignee_keys <@ attune.assignee_keys(assignment)) FROM attune.inquiry WHERE id = ?")
                        .params(who.id(), actor.isAdmin(), who.id(), inquiry.id())
                        .query((rs, n) -> new Boolean[]{rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3)})
                        .single();
                assertThat(actor.canSee(inquiry.assignment())).as(who.login() + " sees " + inquiry.assignment())
                        .isEqualTo(sql[0]);
                assertThat(actor.mayAnswer(inquiry.assignment())).as(who.login() + " answers " + inquiry.assignment())
                        .isEqualTo(sql[1]);
                assertThat(sql[2]).as("the SQL normaliser agrees with Assignment.keys()").isTrue();
                checked++;
            }
        }
        assertThat(checked).isEqualTo(28);
        // and the page query, which uses the same SQL, lists exactly what Java says each one sees
        for (Identity who : List.of(ada, bob, cyd)) {
            Actor actor = fresh(who);
            List<Long> listed = inquiries.page(new InquiryQuery(null, null, null, 1, 1000), actor).rows().stream()
                    .map(InquirySummary::id).toList();
            for (Inquiry inquiry : opened) {
                assertThat(listed.contains(inquiry.id())).isEqualTo(actor.canSee(inquiry.assignment()));
            }
        }
    }

    @Test
    void aRenamedGroupKeepsItsInquiries() {
        Identity ada = identity(Role.USER);
        String sre = group(ada);
        Inquiry inquiry = open("{\"prompt\": \"Deploy?\", \"assigned_to\": {\"group\": \"" + sre + "\"}}");
        groups.rename(groups.find(sre).orElseThrow().id(), sre + "-renamed");
        Inquiry now = inquiries.find(inquiry.id()).orElseThrow();
        assertThat(now.assignment().groups()).containsExactly(sre + "-renamed");
        assertThat(transitions.respond(inquiry.id(), fresh(ada), YES, null).status())
                .isEqualTo(InquiryStatus.RESPONDED);
    }

    @Test
    void theOldAssignedToFormStillMeansOneUser() {
        Identity ada = identity(Role.USER);
        Inquiry inquiry = open("{\"prompt\": \"Deploy?\", \"assigned_to\": " + ada.id() + "}");
        assertThat(inquiry.assignedTo()).isEqualTo(ada.id());
        assertThat(inquiry.assignment()).isEqualTo(Assignment.ofUser(ada.id()));
        assertThat(Json.write(inquiry.toView())).contains("\"assigned_to\":" + ada.id() + ",");
    }
}
