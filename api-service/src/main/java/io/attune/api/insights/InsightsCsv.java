package io.attune.api.insights;

import io.attune.model.insights.InsightRow;

import java.util.List;

/** The insights as CSV (RFC 4180): a header naming the JSON fields, one line per key, empty for null. */
final class InsightsCsv {
    static final String HEADER = "key,inquiries,answered,timed_out,cancelled,defaulted,escalated,"
            + "decision_p50_seconds,decision_p90_seconds";

    private InsightsCsv() {
    }

    static String write(List<InsightRow> rows) {
        StringBuilder out = new StringBuilder(HEADER).append("\r\n");
        for (InsightRow row : rows) {
            out.append(field(row.key())).append(',').append(row.inquiries()).append(',').append(row.answered())
                    .append(',').append(row.timedOut()).append(',').append(row.cancelled()).append(',')
                    .append(row.defaulted()).append(',').append(row.escalated()).append(',')
                    .append(number(row.decisionP50Seconds())).append(',').append(number(row.decisionP90Seconds()))
                    .append("\r\n");
        }
        return out.toString();
    }

    private static String number(Double value) {
        return value == null ? "" : (value == Math.rint(value) ? Long.toString(value.longValue()) : value.toString());
    }

    /** Quoted when it holds a comma, quote or line break; a leading = + - @ is defused against spreadsheet formulas. */
    private static String field(String value) {
        if (value == null) {
            return "";
        }
        String safe = value.matches("^[=+\\-@].*") ? "'" + value : value;
        if (safe.matches("(?s).*[\",\r\n].*")) {
            return '"' + safe.replace("\"", "\"\"") + '"';
        }
        return safe;
    }
}
