package io.attune.cli.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code attune audit verify FILE} on the one-entry export of docs/audit.md, intact and with one byte changed. */
class AuditVerifyCommandTest {
    static final String HEAD = "2bde44ca649466731166a458c555d8f123f3db8a03205abe0e04a90d8dda0082";
    static final String LINE = "{\"action\":\"created\",\"actor\":\"system\",\"actor_id\":null,\"details\":null,"
            + "\"entity_id\":\"8\",\"entity_type\":\"inquiry\",\"hash\":\"" + HEAD + "\",\"id\":101,"
            + "\"occurred\":\"2026-01-15T10:30:01.123456Z\",\"seq\":1}\n";

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    Run verify(String content, String... more) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Files.writeString(file, content);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new AuditCommand());
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        String[] args = new String[more.length + 2];
        args[0] = "verify";
        args[1] = file.toString();
        System.arraycopy(more, 0, args, 2, more.length);
        return new Run(command.execute(args), out.toString(), err.toString());
    }

    @Test
    void anIntactExportIsValid() throws Exception {
        Run run = verify(LINE, "--head", HEAD);
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("\"valid\":true", "\"first_broken\":null", HEAD);
    }

    @Test
    void oneChangedByteIsReported() throws Exception {
        Run run = verify(LINE.replace("\"id\":101", "\"id\":102"));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("\"valid\":false", "\"first_broken\":102");
        assertThat(run.err()).contains("BROKEN");
    }
}
