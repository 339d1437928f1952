package io.attune.workflow.definition;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import tools.jackson.databind.JsonNode;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One CEL expression of a workflow, compiled once when its definition is loaded. CEL has no side effects, no I/O
 * and always terminates, which is why it — and not a general scripting engine — decides what a workflow does next.
 * The variables are {@code input} (the workflow's input), {@code result} (the task that just finished) and
 * {@code tasks} (every finished task, {@code tasks.<name>.result}).
 */
public final class Expression {
    /** An expression longer than this is refused: a condition is a line, not a program. */
    static final int MAX_LENGTH = 4096;
    private static final CelOptions OPTIONS = CelOptions.current().maxExpressionCodePointSize(MAX_LENGTH).build();
    private static final MapType JSON_OBJECT = MapType.create(SimpleType.STRING, SimpleType.DYN);
    private static final CelCompiler CONDITIONS = compiler(true);
    private static final CelCompiler VALUES = compiler(false);
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

    private final String source;
    private final CelRuntime.Program program;
    private final Set<String> inputs;
    private final Set<String> tasks;

    private Expression(String source, CelRuntime.Program program, Set<String> inputs, Set<String> tasks) {
        this.source = source;
        this.program = program;
        this.inputs = inputs;
        this.tasks = tasks;
    }

    private static CelCompiler compiler(boolean condition) {
        var builder = CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addVar("input", JSON_OBJECT)
                .addVar("result", SimpleType.DYN)
                .addVar("tasks", JSON_OBJECT);
        if (condition) {
            builder.setResultType(SimpleType.BOOL);
        }
        return builder.build();
    }

    /** A {@code when}: must be a boolean. Throws with CEL's reason when it does not compile. */
    static Expression condition(String source) {
        return compile(source, CONDITIONS);
    }

    /** The inside of a {@code ${…}}: any value. */
    static Expression value(String source) {
        return compile(source, VALUES);
    }

    private static Expression compile(String source, CelCompiler compiler) {
        try {
            CelAbstractSyntaxTree ast = compiler.compile(source).getAst();
            Set<String> inputs = new TreeSet<>();
            Set<String> tasks = new TreeSet<>();
            // the names the expression reads from input.<name> and tasks.<name>, checked against the definition
            CelNavigableAst.fromAst(ast).getRoot().allNodes().forEach(node -> {
                CelExpr expr = node.expr();
                if (expr.getKind() == CelExpr.ExprKind.Kind.SELECT
                        && expr.select().operand().getKind() == CelExpr.ExprKind.Kind.IDENT) {
                    String variable = expr.select().operand().ident().name();
                    if (variable.equals("input")) {
                        inputs.add(expr.select().field());
                    } else if (variable.equals("tasks")) {
                        tasks.add(expr.select().field());
                    }
                }
            });
            return new Expression(source, RUNTIME.createProgram(ast), Set.copyOf(inputs), Set.copyOf(tasks));
        } catch (CelValidationException e) {
            throw new IllegalArgumentException(reason(e.getMessage()));
        } catch (dev.cel.common.CelException e) {
            throw new IllegalArgumentException(reason(e.getMessage()));
        }
    }

    /** CEL's first line, without its {@code ERROR: <input>:} prefix (the caller says where the expression is). */
    private static String reason(String message) {
        String first = message == null ? "invalid expression" : message.lines().findFirst().orElse(message);
        return first.replaceFirst("^ERROR: <input>:", "column ").strip();
    }

    public String source() {
        return source;
    }

    /** The names read as {@code input.<name>}. */
    Set<String> inputs() {
        return inputs;
    }

    /** The names read as {@code tasks.<name>}. */
    Set<String> tasks() {
        return tasks;
    }

    /** Evaluates over the given variables (JSON); throws {@link EvaluationException} with the reason. */
    public JsonNode evaluate(Variables variables) {
        try {
            return CelValues.toJson(program.eval(variables.asCel()));
        } catch (CelEvaluationException e) {
            throw new EvaluationException("'" + source + "' could not be evaluated: "
                    + Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()));
        } catch (RuntimeException e) {
            throw new EvaluationException("'" + source + "' could not be evaluated: " + e);
        }
    }

    /** The values an expression sees. */
    public record Variables(JsonNode input, JsonNode result, JsonNode tasks) {
        Map<String, Object> asCel() {
            return Map.of("input", CelValues.fromJson(input), "result", CelValues.fromJson(result),
                    "tasks", CelValues.fromJson(tasks));
        }
    }
}
