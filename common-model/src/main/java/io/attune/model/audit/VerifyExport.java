package io.attune.model.audit;

import io.attune.model.json.Json;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Offline verification of an export of the audit trail ({@code GET /api/v1/audit/export}), with nothing but Java:
 * <pre>
 *   java -cp common-model.jar:jackson-*.jar io.attune.model.audit.VerifyExport audit.jsonl [--head HASH]
 * </pre>
 * Prints {@code {"entries","head","valid","first_broken"}} and, when broken, why; exits 0 when every link holds (and
 * the chain ends at {@code --head} when given), 1 when not, 2 when the file cannot be read.
 */
public final class VerifyExport {
    private VerifyExport() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] args) {
        if (args.length != 1 && !(args.length == 3 && "--head".equals(args[1]))) {
            System.err.println("usage: VerifyExport FILE [--head HASH]");
            return 2;
        }
        ChainVerifier verifier;
        try {
            verifier = verify(Path.of(args[0]));
        } catch (IOException e) {
            System.err.println("cannot read " + args[0] + ": " + e.getMessage());
            return 2;
        }
        if (args.length == 3) {
            verifier.expectHead(args[2], verifier.entries(), null);
        }
        System.out.println(Json.write(verifier.result()));
        if (verifier.problem() != null) {
            System.err.println("BROKEN: " + verifier.problem());
            return 1;
        }
        System.err.println("OK: " + verifier.entries() + " entries, head " + verifier.head());
        return 0;
    }

    /**
     * Reads the file line by line, never whole. Lines end with {@code \n} only, as the export writes them, and are
     * decoded strictly as UTF-8: a carriage return, a missing final line break or a malformed byte is a change too.
     */
    public static ChainVerifier verify(Path file) throws IOException {
        ChainVerifier verifier = new ChainVerifier();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
            long number = 0;
            for (int b = in.read(); b != -1; b = in.read()) {
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                number++;
                try {
                    verifier.acceptLine(utf8.decode(ByteBuffer.wrap(line.toByteArray())).toString(), number);
                } catch (CharacterCodingException e) {
                    verifier.reject("line " + number + " is not UTF-8");
                }
                line.reset();
            }
            if (line.size() > 0) {
                verifier.reject("line " + (number + 1) + " does not end with a line break (the file was cut or edited)");
            }
        }
        return verifier;
    }
}
