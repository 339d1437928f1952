package io.attune.core.schema;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;

/**
 * Every regular expression of a schema ({@code pattern}, {@code patternProperties}, {@code format: regex}) runs on
 * RE2J, which matches in time linear in the input: no pattern can backtrack for ever. What RE2J cannot run in linear
 * time (backreferences, lookahead and lookbehind) is refused, and so is a pattern whose counted repetitions expand to
 * a program too large to build cheaply ({@code (a{1000}){1000}}). ECMA-262's {@code \}{@code uXXXX} escapes are
 * accepted (rewritten to RE2's {@code \x{XXXX}}).
 */
public final class LinearPatterns implements RegularExpressionFactory {
    /** A pattern (or patternProperties key), in characters (docs/limits.md). */
    public static final int MAX_LENGTH = 1_000;
    /** Atoms after expanding counted repetitions: {@code .{0,1000}} is fine, a million is not. */
    static final long MAX_EXPANDED_SIZE = 10_000;
    /** Groups nested in groups. */
    static final int MAX_GROUP_DEPTH = 50;

    public static final LinearPatterns INSTANCE = new LinearPatterns();

    private LinearPatterns() {
    }

    /** The compiled pattern, or an {@link UnsafePatternException} saying why it cannot be run safely. */
    public static Pattern compile(String regex) {
        if (regex.length() > MAX_LENGTH) {
            throw new UnsafePatternException("the pattern is longer than " + MAX_LENGTH
                    + " characters");
        }
        String translated = translateUnicodeEscapes(regex);
        checkExpandedSize(translated);
        try {
            return Pattern.compile(translated);
        } catch (PatternSyntaxException e) {
            String reason = e.getDescription();
            if (reason.contains("\\1") || reason.contains("\\2") || reason.contains("(?=") || reason.contains("(?!")
                    || reason.contains("(?<=") || reason.contains("(?<!") || reason.contains("invalid escape")
                    || reason.contains("Perl syntax") || reason.contains("named capture")) {
                throw new UnsafePatternException("the pattern '" + abbreviate(regex) + "' cannot run in linear time "
                        + "(backreferences and lookaround are not supported): " + reason);
            }
            throw new UnsafePatternException("the pattern '" + abbreviate(regex) + "' is not a valid regular "
                    + "expression: " + reason);
        } catch (RuntimeException | StackOverflowError e) {
            throw new UnsafePatternException("the pattern '" + abbreviate(regex) + "' cannot be compiled: "
                    + e.getClass().getSimpleName());
        }
    }

    @Override
    public RegularExpression getRegularExpression(String regex) {
        Pattern pattern = compile(regex);
        // JSON Schema patterns are not anchored: a match anywhere in the string counts
        return value -> pattern.matcher(value).find();
    }

    /** Rewrites ECMA-262 {@code \}{@code uXXXX} escapes, which RE2 spells {@code \x{XXXX}}. */
    static String translateUnicodeEscapes(String regex) {
        StringBuilder out = new StringBuilder(regex.length());
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                char next = regex.charAt(i + 1);
                if (next == 'u' && isHex(regex, i + 2, 4)) {
                    out.append("\\x{").append(regex, i + 2, i + 6).append('}');
                    i += 5;
                } else {
                    out.append(c).append(next);
                    i++;
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isHex(String s, int from, int count) {
        if (from + count > s.length()) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Refuses a pattern whose counted repetitions, expanded, exceed {@link #MAX_EXPANDED_SIZE} atoms, or whose groups
     * nest deeper than {@link #MAX_GROUP_DEPTH}: RE2J builds a program of that size before it matches anything.
     */
    static void checkExpandedSize(String regex) {
        // one frame per open group: the size of what it holds so far, and of its last atom (what a quantifier repeats)
        long[] size = new long[MAX_GROUP_DEPTH + 2];
        long[] last = new long[MAX_GROUP_DEPTH + 2];
        int depth = 0;
        int i = 0;
        while (i < regex.length()) {
            char c = regex.charAt(i);
            long atom;
            if (c == '\\') {
                i += 2;
                atom = 1;
            } else if (c == '[') {
                i = endOfClass(regex, i);
                atom = 1;
            } else if (c == '(') {
                depth++;
                if (depth > MAX_GROUP_DEPTH) {
                    throw new UnsafePatternException("the pattern nests groups deeper than " + MAX_GROUP_DEPTH);
                }
                size[depth] = 0;
                last[depth] = 0;
                i++;
                continue;
            } else if (c == ')') {
                if (depth == 0) {
                    i++;
                    continue; // unbalanced: RE2J will say so
                }
                atom = Math.max(1, size[depth]);
                depth--;
                i++;
            } else if (c == '{') {
                int close = regex.indexOf('}', i);
                long times = close < 0 ? -1 : repetitions(regex.substring(i + 1, close));
                if (times < 0) {
                    i++;
                    atom = 1; // a literal brace
                } else {
                    if (times > MAX_EXPANDED_SIZE) {
                        throw tooLarge();
                    }
                    // the last atom now counts {times}
                    size[depth] += last[depth] * (times - 1);
                    last[depth] = last[depth] * times;
                    if (size[depth] > MAX_EXPANDED_SIZE) {
                        throw tooLarge();
                    }
                    i = close + 1;
                    continue;
                }
            } else {
                i++;
                atom = 1;
            }
            size[depth] += atom;
            last[depth] = atom;
            if (size[depth] > MAX_EXPANDED_SIZE) {
                throw tooLarge();
            }
        }
    }

    private static UnsafePatternException tooLarge() {
        return new UnsafePatternException("the pattern's repetitions expand to more than " + MAX_EXPANDED_SIZE
                + " elements");
    }

    /** The largest count of a quantifier body ({@code 3}, {@code 2,5}, {@code 2,}), or -1 when it is not one. */
    private static long repetitions(String body) {
        String[] parts = body.split(",", -1);
        if (parts.length > 2 || parts[0].isEmpty() && (parts.length == 1 || parts[1].isEmpty())) {
            return -1;
        }
        long max = 1;
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            if (!part.chars().allMatch(Character::isDigit)) {
                return -1;
            }
            if (part.length() > 9) {
                return Long.MAX_VALUE; // refused as too large
            }
            max = Math.max(max, Long.parseLong(part));
        }
        return max;
    }

    private static int endOfClass(String regex, int open) {
        int i = open + 1;
        if (i < regex.length() && regex.charAt(i) == '^') {
            i++;
        }
        if (i < regex.length() && regex.charAt(i) == ']') {
            i++;
        }
        while (i < regex.length() && regex.charAt(i) != ']') {
            i += regex.charAt(i) == '\\' ? 2 : 1;
        }
        return i + 1;
    }

    private static String abbreviate(String regex) {
        return regex.length() <= 60 ? regex : regex.substring(0, 57) + "...";
    }

    /** A pattern that cannot be run safely, with the reason. */
    public static class UnsafePatternException extends RuntimeException {
        public UnsafePatternException(String message) {
            super(message);
        }
    }
}
