package io.attune.model.inquiry;

import io.attune.model.json.Json;
import io.attune.model.message.InquiryEscalated;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The shapes of assigned_to, their keys, and that every view writes them back as given. */
class AssignmentTest {

    @Test
    void everyShapeIsReadAndWrittenBackAsGiven() {
        for (String given : List.of("5", "{\"user\":5}", "{\"group\":\"sre\"}", "[5,{\"user\":7},{\"group\":\"sre\"}]")) {
            Assignment assignment = Assignment.of(Json.tree(given));
            assertThat(Json.write(assignment)).isEqualTo(given);
            assertThat(Json.read(Json.write(assignment), Assignment.class)).isEqualTo(assignment);
        }
        Assignment list = Assignment.of(Json.tree("[5, {\"user\": 5}, {\"group\": \"sre\"}]"));
        assertThat(list.keys()).containsExactly("u:5", "g:sre");
        assertThat(list.singleUser()).isNull();
        assertThat(Assignment.of(Json.tree("{\"user\": 5}")).singleUser()).isEqualTo(5L);
        assertThat(Assignment.of(Json.tree("{\"group\": \"sre\"}")).singleUser()).isNull();
    }

    @Test
    void otherShapesAreRefusedWithAReason() {
        for (String bad : List.of("\"5\"", "[]", "{}", "{\"user\": 5, \"group\": \"x\"}", "{\"group\": \"a b\"}",
                "{\"user\": -1}", "[[5]]", "true", "{\"role\": \"admin\"}")) {
            List<String> problems = new ArrayList<>();
            assertThat(Assignment.parse(Json.tree(bad), problems)).as(bad).isNull();
            assertThat(problems).as(bad).isNotEmpty().allSatisfy(p -> assertThat(p).startsWith("assigned_to"));
        }
    }

    @Test
    void anEscalationEventCarriesBothAssignments() {
        InquiryEscalated event = new InquiryEscalated(1, 2, Assignment.of(Json.tree("{\"group\": \"leads\"}")),
                Assignment.ofUser(5), 1, java.time.Instant.parse("2026-01-15T10:30:00Z"));
        String json = Json.write(event);
        assertThat(json).contains("\"assigned_to\":{\"group\":\"leads\"}", "\"previous_assigned_to\":5", "\"step\":1");
        assertThat(Json.read(json, InquiryEscalated.class)).isEqualTo(event);
    }
}
