package io.attune.api.insights;

import io.attune.model.insights.InsightRow;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InsightsCsvTest {

    @Test
    void keysAreQuotedWhenTheyMustBeAndFormulasAreDefused() {
        String csv = InsightsCsv.write(List.of(
                new InsightRow(null, 1, 0, 1, 0, 0, 0, null, null),
                new InsightRow("ops, \"night\" shift", 2, 2, 0, 0, 0, 0, 1.5, 2.0),
                new InsightRow("=HYPERLINK(\"x\")", 1, 1, 0, 0, 0, 1, 60.0, 60.0)));
        assertThat(csv.split("\r\n")).containsExactly(InsightsCsv.HEADER,
                ",1,0,1,0,0,0,,",
                "\"ops, \"\"night\"\" shift\",2,2,0,0,0,0,1.5,2",
                "\"'=HYPERLINK(\"\"x\"\")\",1,1,0,0,0,1,60,60");
    }
}
