package io.attune.worker.workflow;

import io.attune.worker.workflow.InquiryTemplateRegistration.Problem;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the worker makes of a template file before registering it (docs/policies.md#templates). */
class InquiryTemplateFileTest {

    private static List<Problem> problemsOf(String source) {
        List<Problem> problems = new ArrayList<>();
        assertThat(InquiryTemplateRegistration.read(source, problems)).isNull();
        return problems;
    }

    @Test
    void aWellFormedTemplateIsReadAsItsInquiryFields() {
        List<Problem> problems = new ArrayList<>();
        JsonNode template = InquiryTemplateRegistration.read("""
                prompt: "Approve {{change}}?"
                approvals_required: 2
                decision_field: /approved
                response_schema:
                  type: object
                  properties:
                    approved: {type: boolean}
                """, problems);
        assertThat(problems).isEmpty();
        assertThat(template.get("prompt").asString()).isEqualTo("Approve {{change}}?");
        assertThat(template.get("approvals_required").asInt()).isEqualTo(2);
        assertThat(template.get("response_schema").get("properties").has("approved")).isTrue();
    }

    @Test
    void brokenYamlIsReportedAtItsLine() {
        assertThat(problemsOf("prompt: Deploy?\nresponse_schema:\n  type: [object\n")).singleElement()
                .satisfies(p -> {
                    assertThat(p.line()).isEqualTo(4);
                    assertThat(p.message()).startsWith("not valid YAML");
                });
    }

    @Test
    void aTemplateIsAMappingOfKnownFieldsWithAStringPrompt() {
        assertThat(problemsOf("- prompt: Deploy?\n")).extracting(Problem::message).singleElement()
                .asString().contains("a template is a mapping");
        assertThat(problemsOf("prompt: Deploy?\nassigne: 5\n")).extracting(Problem::message).singleElement()
                .asString().contains("unknown field 'assigne'");
        assertThat(problemsOf("prompt: [Deploy]\n")).extracting(Problem::message)
                .containsExactly("prompt must be a string");
    }

    @Test
    void aliasBombsAreRefusedNotExpanded() {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'z'; c++) {
            char p = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *")
                    .append(p).append("]\n");
        }
        bomb.append("prompt: boom\n");
        assertThat(problemsOf(bomb.toString())).extracting(Problem::message).singleElement().asString()
                .startsWith("not valid YAML");
    }
}
