# shellcheck shell=bash
# JSON for actions that must run with nothing but bash (no jq, no python, not even cat).
#
# Values are kept as JSON text. A string keeps its escaped form ("a \"b\" \u00e9"), so it goes back into the JSON an
# action prints exactly as it came in: whatever the caller sent, the output stays valid JSON. Offsets count bytes
# (LC_ALL=C); multi-byte UTF-8 passes through untouched. Made for parameters of up to a few hundred kilobytes.
#
# Functions return through variables, not stdout, to spare a subshell per call:
#   JSON_VALUE  a value's text          JSON_ITEMS  an array's items     JSON_KEYS, JSON_VALUES  an object's members
#   PARAMS      the action's parameters (json_read_params)               REPLY  a parameter's value (param_*)

LC_ALL=C

# json_fail MESSAGE: a parameter problem. The message goes to stderr (the worker's log and the failed result's
# stderr_tail) and the action exits 2.
json_fail() {
    printf '%s\n' "$*" >&2
    exit 2
}

# The reader walks a text with a cursor, using glob patterns only (no regular expressions: bash compiles those anew
# at every use). Substrings and patterns cost time in proportion to the whole string they work on, so they only see
# a window of the text at the cursor: reading stays linear in the size of the text.
_J_TEXT='' _J_LEN=0 _J_POS=0 _J_WIN='' _J_SIZE=2048
_J_SPACE='[![:space:]]' _J_QUOTE='["\\]' _J_BRACKET='[][{}"]' _J_LITERAL_END='[][{}:,"[:space:]]'

# _json_at TEXT: the cursor at the start of TEXT.
_json_at() {
    _J_TEXT=$1 _J_LEN=${#1} _J_POS=0 _J_WIN=${1:0:_J_SIZE}
}

# _json_advance N: the cursor N bytes further.
_json_advance() {
    _J_POS=$((_J_POS + $1))
    _J_WIN=${_J_WIN:$1}
    if ((${#_J_WIN} < _J_SIZE / 4 && _J_POS + ${#_J_WIN} < _J_LEN)); then
        _J_WIN=${_J_TEXT:_J_POS:_J_SIZE}
    fi
}

# _json_skip SET: the cursor past the bytes up to the first one in SET (a bracket expression), or to the end.
_json_skip() {
    local span
    while :; do
        span=${_J_WIN%%$1*}
        if ((${#span} < ${#_J_WIN} || _J_POS + ${#_J_WIN} >= _J_LEN)); then
            _json_advance ${#span}
            return
        fi
        _J_WIN=${_J_TEXT:_J_POS:${#_J_WIN} * 2}
    done
}

# _json_peek: CHAR = the next byte that is not whitespace (empty at the end), the cursor on it.
_json_peek() {
    _json_skip "$_J_SPACE"
    CHAR=${_J_WIN:0:1}
}

# _json_string: the cursor past the string that starts at it. Returns 1 when the string does not end.
_json_string() {
    _json_advance 1
    while :; do
        _json_skip "$_J_QUOTE"
        case ${_J_WIN:0:1} in
            '"')
                _json_advance 1
                return 0
                ;;
            '\') _json_advance 2 ;;
            *) return 1 ;;
        esac
    done
}

# _json_value: the cursor past the value at it; JSON_VALUE = its text. Returns 1 when there is no complete value.
_json_value() {
    local start depth=0
    _json_peek
    start=$_J_POS
    case $CHAR in
        '"') _json_string || return 1 ;;
        '{' | '[')
            while :; do
                case ${_J_WIN:0:1} in
                    '{' | '[')
                        depth=$((depth + 1))
                        _json_advance 1
                        ;;
                    '}' | ']')
                        depth=$((depth - 1))
                        _json_advance 1
                        if ((depth == 0)); then
                            break
                        fi
                        ;;
                    '"') _json_string || return 1 ;;
                    '') return 1 ;;
                    *) _json_skip "$_J_BRACKET" ;;
                esac
            done
            ;;
        '' | ',' | ':' | '}' | ']') return 1 ;;
        *) _json_skip "$_J_LITERAL_END" ;;
    esac
    JSON_VALUE=${_J_TEXT:start:_J_POS-start}
}

# json_members OBJECT: JSON_KEYS and JSON_VALUES = OBJECT's members in order (keys with their quotes, values as JSON
# text). Returns 1 when OBJECT is not a well-formed object.
json_members() {
    JSON_KEYS=() JSON_VALUES=()
    _json_at "$1"
    _json_peek
    if [[ $CHAR != '{' ]]; then
        return 1
    fi
    _json_advance 1
    _json_peek
    if [[ $CHAR == '}' ]]; then
        return 0
    fi
    while :; do
        _json_peek
        if [[ $CHAR != '"' ]]; then
            return 1
        fi
        _json_value || return 1
        JSON_KEYS+=("$JSON_VALUE")
        _json_peek
        if [[ $CHAR != ':' ]]; then
            return 1
        fi
        _json_advance 1
        _json_value || return 1
        JSON_VALUES+=("$JSON_VALUE")
        _json_peek
        case $CHAR in
            ',') _json_advance 1 ;;
            '}') return 0 ;;
            *) return 1 ;;
        esac
    done
}

# json_lookup KEY: JSON_VALUE = the value of member KEY (a plain ASCII name) of the object json_members read last.
# Returns 1 when there is no such member or it is null.
json_lookup() {
    local k
    for ((k = 0; k < ${#JSON_KEYS[@]}; k++)); do
        if [[ ${JSON_KEYS[k]} == "\"$1\"" ]]; then
            JSON_VALUE=${JSON_VALUES[k]}
            [[ $JSON_VALUE != null ]]
            return
        fi
    done
    return 1
}

# json_items ARRAY: JSON_ITEMS = the items of ARRAY, each as JSON text. Returns 1 when ARRAY is not a well-formed
# array.
json_items() {
    JSON_ITEMS=()
    _json_at "$1"
    _json_peek
    if [[ $CHAR != '[' ]]; then
        return 1
    fi
    _json_advance 1
    _json_peek
    if [[ $CHAR == ']' ]]; then
        return 0
    fi
    while :; do
        _json_value || return 1
        JSON_ITEMS+=("$JSON_VALUE")
        _json_peek
        case $CHAR in
            ',') _json_advance 1 ;;
            ']') return 0 ;;
            *) return 1 ;;
        esac
    done
}

# json_read_params: PARAMS = the JSON object on stdin ({} when stdin is empty), its members ready for param_*.
json_read_params() {
    PARAMS=''
    IFS= read -r -d '' PARAMS || true
    if [[ $PARAMS != *[![:space:]]* ]]; then
        PARAMS='{}'
    fi
    json_members "$PARAMS" || json_fail "the parameters on stdin must be a JSON object"
    _PARAM_KEYS=(${JSON_KEYS[@]+"${JSON_KEYS[@]}"})
    _PARAM_VALUES=(${JSON_VALUES[@]+"${JSON_VALUES[@]}"})
}

# param NAME: JSON_VALUE = parameter NAME. Returns 1 when it is not given (or null).
param() {
    JSON_KEYS=(${_PARAM_KEYS[@]+"${_PARAM_KEYS[@]}"})
    JSON_VALUES=(${_PARAM_VALUES[@]+"${_PARAM_VALUES[@]}"})
    json_lookup "$1"
}

# param_string NAME DEFAULT: REPLY = string parameter NAME in its escaped form (what goes between the quotes), or
# DEFAULT (which must be escaped already) when it is not given.
param_string() {
    REPLY=$2
    if param "$1"; then
        if [[ $JSON_VALUE != \"* ]]; then
            json_fail "parameter $1 must be a string"
        fi
        REPLY=${JSON_VALUE:1:${#JSON_VALUE}-2}
    fi
}

# param_id NAME: REPLY = identity id parameter NAME (an integer, or a string of digits), empty when not given.
param_id() {
    REPLY=''
    if param "$1"; then
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
    if param "$1"; then
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

# no_param NAME WHY: fails when parameter NAME is given (a parameter that used to exist and is now decided elsewhere).
no_param() {
    if param "$1"; then
        json_fail "parameter $1 is not taken: $2"
    fi
}

# setting_id NAME: REPLY = identity id NAME from the pack's settings.json (the operator's, next to actions/), empty
# when the file or the setting is absent or null. Who approves is the operator's choice, never the requester's.
setting_id() {
    local file="$here/../settings.json" text=''
    REPLY=''
    if [[ ! -f $file ]]; then
        return 0
    fi
    IFS= read -r -d '' text <"$file" || true
    json_members "$text" || json_fail "the pack's settings.json must be a JSON object"
    if json_lookup "$1"; then
        if [[ $JSON_VALUE =~ ^([1-9][0-9]{0,14})$ ]]; then
            REPLY=${BASH_REMATCH[1]}
        else
            json_fail "setting $1 in the pack's settings.json must be an identity id (an integer)"
        fi
    fi
}
