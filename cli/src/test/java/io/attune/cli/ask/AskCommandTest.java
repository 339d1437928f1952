package io.attune.cli.ask;

import io.attune.cli.ExitCodes;
import io.attune.cli.UsageException;
import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonPointer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@code attune ask} sends as assignees, and how it reads a decision into an exit code. */
class AskCommandTest {
    private static final JsonPointer APPROVED = JsonPointer.compile("/approved");

    @Test
    void assigneesAreIdsUsersOrGroups() {
        assertThat(AskCommand.assignee("5").asLong()).isEqualTo(5L);
        assertThat(AskCommand.assignee("user:5").get("user").asLong()).isEqualTo(5L);
        assertThat(AskCommand.assignee("group:sre")).isEqualTo(Json.tree("{\"group\": \"sre\"}"));
        assertThatThrownBy(() -> AskCommand.assignee("ada")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> AskCommand.assignee("group:")).isInstanceOf(UsageException.class);
    }

    @Test
    void theDecisionFieldTellsApprovedFromRejected() {
        assertThat(exit("{\"status\": \"responded\", \"response\": {\"approved\": true}}", APPROVED))
                .isEqualTo(ExitCodes.DONE);
        assertThat(exit("{\"status\": \"responded\", \"response\": {\"approved\": false}}", APPROVED))
                .isEqualTo(ExitCodes.REJECTED);
        // no decision field, or not a boolean there: an answer is an answer
        assertThat(exit("{\"status\": \"responded\", \"response\": {\"region\": \"eu\"}}", APPROVED))
                .isEqualTo(ExitCodes.DONE);
        assertThat(exit("{\"status\": \"responded\", \"response\": {\"approved\": false}}", null))
                .isEqualTo(ExitCodes.DONE);
        assertThat(exit("{\"status\": \"timeout\"}", APPROVED)).isEqualTo(ExitCodes.TIMED_OUT);
        assertThat(exit("{\"status\": \"cancelled\"}", APPROVED)).isEqualTo(ExitCodes.CANCELLED);
        assertThat(ExitCodes.REJECTED).isNotIn(ExitCodes.DONE, ExitCodes.REFUSED, ExitCodes.USAGE,
                ExitCodes.UNREACHABLE, ExitCodes.NOT_COMPLETED);
    }

    private static int exit(String inquiry, JsonPointer decision) {
        return AskCommand.Outcome.of(Json.tree(inquiry), decision).exitCode;
    }
}
