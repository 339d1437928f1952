#!/usr/bin/env bash
# examples.data_import — the seed's "Data Validation": checks records before they are imported. When some look wrong
# it asks a person whether to go on, and which records to leave out; without anomalies it imports at once.
#
# Parameters (all optional):
#   records     array of objects {"id": integer, "email": string, "amount": number}; a built-in sample with
#               anomalies when not given
#   source      a name for the data, shown to the reviewer
#   max_amount  a whole number; larger amounts are anomalies (default 10000)
# Anomalies: a record that is not an object, a missing, non-integer or duplicate id, a missing or malformed e-mail
# address, a missing, non-numeric, negative or too large amount.
# Needs nothing but bash. This is an example: it reports what it would import and imports nothing anywhere.
set -u
here=.
if [[ ${BASH_SOURCE[0]} == */* ]]; then here=${BASH_SOURCE[0]%/*}; fi
. "$here/../lib/json.sh" || exit 2

SAMPLE='[
  {"id": 1, "email": "ann@example.com", "amount": 120.5},
  {"id": 2, "email": "bob-at-example.com", "amount": 75},
  {"id": 3, "email": "carol@example.com", "amount": -20},
  {"id": 3, "email": "dave@example.com", "amount": 250000},
  {"id": 5, "email": "erin@example.com", "amount": 42}
]'
EMAIL='^"[^@[:space:]"\\]+@[^@[:space:]"\\]+\.[^@[:space:]"\\]+"$'

# amount_check NUMBER MAX: returns 1 when NUMBER is not a JSON number; else sets AMOUNT_NEGATIVE and AMOUNT_OVER
# (1 or 0: below zero; above MAX). Works on the digits, so any size or exponent is compared exactly.
amount_check() {
    local max=$2 sign int frac esign exp digits point whole
    if [[ ! $1 =~ ^(-?)(0|[1-9][0-9]*)(\.([0-9]+))?([eE]([+-]?)([0-9]+))?$ ]]; then
        return 1
    fi
    sign=${BASH_REMATCH[1]} int=${BASH_REMATCH[2]} frac=${BASH_REMATCH[4]}
    esign=${BASH_REMATCH[6]} exp=${BASH_REMATCH[7]:-0}
    AMOUNT_NEGATIVE=0 AMOUNT_OVER=0
    # The value is 0.<digits> x 10^point, digits without leading or trailing zeros.
    digits=$int$frac point=${#int}
    while [[ $digits == 0* ]]; do digits=${digits#0} point=$((point - 1)); done
    while [[ $digits == *0 ]]; do digits=${digits%0}; done
    if [[ -z $digits ]]; then
        return 0
    fi
    if [[ $sign == - ]]; then
        AMOUNT_NEGATIVE=1
        return 0
    fi
    while [[ $exp == 0?* ]]; do exp=${exp#0}; done
    if ((${#exp} > 9)); then
        [[ $esign == - ]] || AMOUNT_OVER=1
        return 0
    fi
    if [[ $esign == - ]]; then point=$((point - exp)); else point=$((point + exp)); fi
    if ((point > ${#max})) || [[ $max == 0 ]]; then
        AMOUNT_OVER=1
    elif ((point == ${#max})); then
        while ((${#digits} < point)); do digits+=0; done
        whole=${digits:0:point}
        if [[ $whole > $max || ($whole == "$max" && ${#digits} -gt $point) ]]; then
            AMOUNT_OVER=1
        fi
    fi
    return 0
}

anomalies='' anomaly_count=0 flagged=' '
# anomaly INDEX ID FIELD ISSUE VALUE (ID and VALUE are JSON; ISSUE is text without quotes or backslashes)
anomaly() {
    anomalies+="${anomalies:+,}
    {\"record_index\": $1, \"id\": $2, \"field\": \"$3\", \"issue\": \"$4\", \"value\": $5}"
    anomaly_count=$((anomaly_count + 1))
    if [[ $flagged != *" $1 "* ]]; then flagged+="$1 "; fi
}

json_read_params
if param records; then
    records=$JSON_VALUE default_source='import'
else
    records=$SAMPLE default_source='built-in sample'
fi
param_string source "$default_source"
data_source=$REPLY
max=10000
if param max_amount; then
    if [[ ! $JSON_VALUE =~ ^(0|[1-9][0-9]{0,17})$ ]]; then
        json_fail "parameter max_amount must be a whole number"
    fi
    max=$JSON_VALUE
fi
json_items "$records" || json_fail "parameter records must be an array of objects"
rows=(${JSON_ITEMS[@]+"${JSON_ITEMS[@]}"})
count=${#rows[@]}

seen=' '
for ((r = 0; r < count; r++)); do
    row=${rows[r]}
    if [[ $row != \{* ]] || ! json_members "$row"; then
        anomaly "$r" null record "the record is not a JSON object" "$row"
        continue
    fi
    id=null
    if json_lookup id; then
        value=$JSON_VALUE
        if [[ $value =~ ^-?(0|[1-9][0-9]*)$ ]]; then
            id=$value
            pattern=" $id=([0-9]+) "
            if [[ $seen =~ $pattern ]]; then
                anomaly "$r" "$id" id "duplicate id: record ${BASH_REMATCH[1]} has it too" "$value"
            else
                seen+="$id=$r "
            fi
        else
            anomaly "$r" null id "the id is not an integer" "$value"
        fi
    else
        anomaly "$r" null id "the id is missing" null
    fi
    if json_lookup email; then
        value=$JSON_VALUE
        if [[ ! $value =~ $EMAIL ]]; then
            anomaly "$r" "$id" email "not a valid e-mail address" "$value"
        fi
    else
        anomaly "$r" "$id" email "the e-mail address is missing" null
    fi
    if json_lookup amount; then
        value=$JSON_VALUE
        if ! amount_check "$value" "$max"; then
            anomaly "$r" "$id" amount "the amount is not a number" "$value"
        elif ((AMOUNT_NEGATIVE)); then
            anomaly "$r" "$id" amount "the amount is negative" "$value"
        elif ((AMOUNT_OVER)); then
            anomaly "$r" "$id" amount "the amount is above max_amount ($max)" "$value"
        fi
    else
        anomaly "$r" "$id" amount "the amount is missing" null
    fi
done

set -- $flagged
flagged_count=$#
summary="\"source\": \"$data_source\", \"records\": $count, \"records_with_anomalies\": $flagged_count, \"max_amount\": $max"

if ((anomaly_count == 0)); then
    noun=records
    if ((count == 1)); then noun=record; fi
    printf '{"status": "imported", "imported_records": %s, "import_summary": {%s}, "message": "Imported %s %s from %s: no anomalies"}' \
        "$count" "$summary" "$count" "$noun" "$data_source"
    exit 0
fi

noun=anomalies
if ((anomaly_count == 1)); then noun=anomaly; fi
IFS= read -r -d '' result <<JSON
{
  "__inquiry": {
    "prompt": "Found $anomaly_count $noun. Continue import?",
    "response_schema": {
      "type": "object",
      "title": "Data import review",
      "description": "$anomaly_count $noun in $flagged_count of the $count records from $data_source",
      "properties": {
        "continue": {
          "type": "boolean",
          "title": "Continue the import",
          "description": "Yes imports the records, except those listed below; no stops the import"
        },
        "exclude_records": {
          "type": "array",
          "title": "Records to leave out",
          "description": "The record_index of each record not to import (see the anomalies)",
          "items": {"type": "integer", "minimum": 0, "maximum": $((count - 1))},
          "uniqueItems": true,
          "default": []
        }
      },
      "required": ["continue"]
    },
    "timeout_seconds": 3600
  },
  "anomalies": [$anomalies
  ],
  "import_summary": {$summary}
}
JSON
printf '%s' "$result"
