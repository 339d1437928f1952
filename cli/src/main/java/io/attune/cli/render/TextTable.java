package io.attune.cli.render;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain text table: a header row, columns as wide as their widest cell (a column may have a limit, past which cells
 * are cut with "…"), two spaces between columns, no trailing spaces. Line breaks inside a cell become spaces, so one
 * row is always one line.
 */
public final class TextTable {
    private final List<String> headers;
    private final int[] limits;
    private final List<List<String>> rows = new ArrayList<>();

    private TextTable(List<String> headers) {
        this.headers = List.copyOf(headers);
        this.limits = new int[headers.size()];
        Arrays.fill(limits, Integer.MAX_VALUE);
    }

    public static TextTable of(String... headers) {
        return new TextTable(List.of(headers));
    }

    /** Cells of column {@code column} longer than {@code width} characters are cut. */
    public TextTable limit(int column, int width) {
        limits[column] = Math.max(2, width);
        return this;
    }

    public TextTable row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(headers.size() + " cells expected, got " + cells.length);
        }
        List<String> row = new ArrayList<>();
        for (int i = 0; i < cells.length; i++) {
            row.add(cut(clean(cells[i]), limits[i]));
        }
        rows.add(row);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The table, each line prefixed with {@code indent}, ending with a line break. */
    public String render(String indent) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = length(headers.get(i));
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], length(row.get(i)));
            }
        }
        StringBuilder text = new StringBuilder();
        line(text, indent, headers, widths);
        for (List<String> row : rows) {
            line(text, indent, row, widths);
        }
        return text.toString();
    }

    public String render() {
        return render("");
    }

    private static void line(StringBuilder text, String indent, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder(indent);
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            line.append(cell);
            if (i < cells.size() - 1) {
                line.append(" ".repeat(widths[i] - length(cell) + 2));
            }
        }
        text.append(line.toString().stripTrailing()).append('\n');
    }

    static String clean(Object cell) {
        return cell == null ? "" : cell.toString().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    static String cut(String cell, int limit) {
        if (length(cell) <= limit) {
            return cell;
        }
        return cell.substring(0, cell.offsetByCodePoints(0, limit - 1)) + "…";
    }

    static int length(String text) {
        return text.codePointCount(0, text.length());
    }
}
