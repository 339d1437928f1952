# shellcheck shell=bash
# JSON for actions that must run with nothing but bash (no jq, no python, not even cat).
#
# Values are kept as JSON text. A string keeps its escaped form ("a \"b\" \u00e9"), so it goes back into the JSON an
# action prints exactly as it came in: whatever the caller sent, the output stays valid JSON. Offsets count bytes
# (LC_ALL=C); multi-byte UTF-8 passes through untouched.
#
# Functions return through variables, not stdout, to spare a subshell per call:
#   JSON_VALUE  the text of the value found        JSON_END    the offset just past it
#   JSON_ITEMS  the items of an array (an array)   REPLY       a parameter's value (param_* functions)
#   PARAMS      the action's parameters (json_read_params)

LC_ALL=C

# json_fail MESSAGE: a parameter problem. The message goes to stderr (the worker's log and the failed result's
# stderr_tail) and the action exits 2.
json_fail() {
    printf '%s\n' "$*" >&2
    exit 2
}

# json_read_params: PARAMS = the JSON object on stdin ({} when stdin is empty).
json_read_params() {
    PARAMS=''
    IFS= read -r -d '' PARAMS || true
    if [[ $PARAMS != *[![:space:]]* ]]; then
        PARAMS='{}'
    fi
    _json_ws "$PARAMS" 0
    if [[ ${PARAMS:JSON_END:1} != '{' ]]; then
        json_fail "the parameters on stdin must be a JSON object"
    fi
}

# _json_ws TEXT OFFSET: JSON_END = the first offset at or after OFFSET that is not whitespace.
_json_ws() {
    local t=$1 i=$2 n=${#1}
    while ((i < n)); do
        case ${t:i:1} in
            ' ' | $'\t' | $'\n' | $'\r') i=$((i + 1)) ;;
            *) break ;;
        esac
    done
    JSON_END=$i
}

# json_scan TEXT OFFSET: the value that starts at OFFSET (after whitespace) in JSON_VALUE, the offset after it in
# JSON_END. Returns 1 when there is no complete value there.
json_scan() {
    local t=$1 n=${#1} i start depth=0 quoted=0 closed=0 rest run
    _json_ws "$t" "$2"
    i=$JSON_END
    start=$i
    if ((i >= n)); then
        return 1
    fi
    case ${t:i:1} in
        '"' | '{' | '[')
            while ((i < n)); do
                if ((quoted)); then
                    rest=${t:i}
                    run=${rest%%[\"\\]*} # jump over the plain part of a string
                    i=$((i + ${#run}))
                    case ${t:i:1} in
                        '\') i=$((i + 2)) ;;
                        '"')
                            quoted=0
                            i=$((i + 1))
                            if ((depth == 0)); then
                                closed=1
                                break
                            fi
                            ;;
                        *) break ;;
                    esac
                else
                    case ${t:i:1} in
                        '"') quoted=1 ;;
                        '{' | '[') depth=$((depth + 1)) ;;
                        '}' | ']')
                            depth=$((depth - 1))
                            if ((depth == 0)); then
                                closed=1
                                i=$((i + 1))
                                break
                            fi
                            ;;
                    esac
                    i=$((i + 1))
                fi
            done
            if ((!closed)); then
                return 1
            fi
            ;;
        *)
            while ((i < n)); do
                case ${t:i:1} in
                    ',' | '}' | ']' | ' ' | $'\t' | $'\n' | $'\r') break ;;
                esac
                i=$((i + 1))
            done
            if ((i == start)); then
                return 1
            fi
            ;;
    esac
    JSON_VALUE=${t:start:i-start}
    JSON_END=$i
}

# json_get OBJECT KEY: JSON_VALUE = the value of OBJECT's member KEY (a plain ASCII key). Returns 1 when OBJECT is
# not an object or has no such member.
json_get() {
    local t=$1 i name
    _json_ws "$t" 0
    i=$JSON_END
    if [[ ${t:i:1} != '{' ]]; then
        return 1
    fi
    _json_ws "$t" $((i + 1))
    i=$JSON_END
    if [[ ${t:i:1} == '}' ]]; then
        return 1
    fi
    while :; do
        json_scan "$t" "$i" || return 1
        name=$JSON_VALUE
        _json_ws "$t" "$JSON_END"
        i=$JSON_END
        if [[ ${t:i:1} != ':' ]]; then
            return 1
        fi
        json_scan "$t" $((i + 1)) || return 1
        if [[ $name == "\"$2\"" ]]; then
            return 0
        fi
        _json_ws "$t" "$JSON_END"
        i=$JSON_END
        if [[ ${t:i:1} != ',' ]]; then
            return 1
        fi
        i=$((i + 1))
    done
}

# json_items ARRAY: JSON_ITEMS = the items of ARRAY, each as JSON text. Returns 1 when ARRAY is not an array.
json_items() {
    local t=$1 i
    JSON_ITEMS=()
    _json_ws "$t" 0
    i=$JSON_END
    if [[ ${t:i:1} != '[' ]]; then
        return 1
    fi
    _json_ws "$t" $((i + 1))
    i=$JSON_END
    if [[ ${t:i:1} == ']' ]]; then
        return 0
    fi
    while :; do
        json_scan "$t" "$i" || return 1
        JSON_ITEMS+=("$JSON_VALUE")
        _json_ws "$t" "$JSON_END"
        i=$JSON_END
        case ${t:i:1} in
            ',') i=$((i + 1)) ;;
            ']') return 0 ;;
            *) return 1 ;;
        esac
    done
}

# json_member OBJECT KEY: like json_get, but a member that is null counts as absent.
json_member() {
    json_get "$1" "$2" && [[ $JSON_VALUE != null ]]
}

# param_string NAME DEFAULT: REPLY = string parameter NAME in its escaped form (what goes between the quotes), or
# DEFAULT (which must be escaped already) when it is not given.
param_string() {
    REPLY=$2
    if json_member "$PARAMS" "$1"; then
        if [[ $JSON_VALUE != \"* ]]; then
            json_fail "parameter $1 must be a string"
        fi
        REPLY=${JSON_VALUE:1:${#JSON_VALUE}-2}
    fi
}

# param_id NAME: REPLY = identity id parameter NAME (an integer, or a string of digits), empty when not given.
param_id() {
    REPLY=''
    if json_member "$PARAMS" "$1"; then
        if [[ $JSON_VALUE =~ ^(0|[1-9][0-9]{0,14})$ || $JSON_VALUE =~ ^\"(0|[1-9][0-9]{0,14})\"$ ]]; then
            REPLY=${BASH_REMATCH[1]}
        else
            json_fail "parameter $1 must be an identity id (an integer)"
        fi
    fi
}

# param_strings NAME: REPLY = array-of-strings parameter NAME as a JSON array, [] when not given.
param_strings() {
    local k out=''
    REPLY='[]'
    if json_member "$PARAMS" "$1"; then
        json_items "$JSON_VALUE" || json_fail "parameter $1 must be an array of strings"
        for ((k = 0; k < ${#JSON_ITEMS[@]}; k++)); do
            if [[ ${JSON_ITEMS[k]} != \"* ]]; then
                json_fail "parameter $1 must be an array of strings"
            fi
            out+="${out:+, }${JSON_ITEMS[k]}"
        done
        REPLY="[$out]"
    fi
}
