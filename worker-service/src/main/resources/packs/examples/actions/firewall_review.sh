#!/usr/bin/env bash
# examples.firewall_review — the seed's "Configuration Review": analyses the impact of proposed firewall rules. High
# impact changes wait for a security reviewer's approval; others are applied at once.
#
# Parameters (all optional):
#   rules             array of rules {"action": "allow"|"deny", "protocol": "tcp"|"udp"|"icmp"|"any",
#                     "port": 22 | "22" | "8000-8100" | "any", "source": "0.0.0.0/0", "description": "..."}
#                     (defaults: allow, tcp, any port, from anywhere); a built-in high-impact sample when not given
#   firewall          the firewall's name, shown to the reviewer (default edge-firewall)
# Who must review high-impact changes is the pack's setting security_lead_id (settings.json, the operator's): anyone
# but the requester may when it is not set. The requester cannot choose their reviewer.
# High impact: allowing a sensitive service (ssh, rdp, databases...) or a port range from anywhere, or denying every
# port from anywhere.
# Needs nothing but bash. This is an example: it changes no firewall, it reports what it would apply.
set -u
here=.
if [[ ${BASH_SOURCE[0]} == */* ]]; then here=${BASH_SOURCE[0]%/*}; fi
. "$here/../lib/json.sh" || exit 2

SAMPLE='[
  {"action": "allow", "protocol": "tcp", "port": 443, "source": "0.0.0.0/0", "description": "public HTTPS"},
  {"action": "allow", "protocol": "tcp", "port": 22, "source": "0.0.0.0/0", "description": "temporary vendor SSH access"},
  {"action": "allow", "protocol": "tcp", "port": "5432", "source": "10.0.0.0/8", "description": "reporting database"}
]'
SENSITIVE='21:ftp 22:ssh 23:telnet 445:smb 1433:sql-server 3306:mysql 3389:rdp 5432:postgresql 5900:vnc 6379:redis 9200:elasticsearch 11211:memcached 27017:mongodb'

# sensitive_service LOW HIGH: REPLY = the first sensitive service in the port range ("ssh", or "ssh on 22" in a
# range), empty when there is none.
sensitive_service() {
    local entry
    REPLY=''
    for entry in $SENSITIVE; do
        if ((${entry%%:*} >= $1 && ${entry%%:*} <= $2)); then
            REPLY=${entry#*:}
            if (($1 != $2)); then REPLY+=" on ${entry%%:*}"; fi
            return
        fi
    done
}

# The rule_* functions read the members of the rule json_members read last.
# rule_string INDEX NAME DEFAULT ALLOWED: REPLY = the rule's string member NAME, one of the words in ALLOWED.
rule_string() {
    REPLY=$3
    if json_lookup "$2"; then
        REPLY=${JSON_VALUE:1:${#JSON_VALUE}-2}
        if [[ $JSON_VALUE != \"* || " $4 " != *" $REPLY "* ]]; then
            json_fail "rule $1: $2 must be one of: $4"
        fi
    fi
}

# rule_ports INDEX: LOW and HIGH, the ports the rule covers, and PORTS, how to name them.
rule_ports() {
    local value=any
    if json_lookup port; then value=$JSON_VALUE; fi
    if [[ $value == any || $value == '"any"' || $value == '"*"' ]]; then
        LOW=1 HIGH=65535 PORTS='all ports'
        return
    fi
    if [[ $value =~ ^([1-9][0-9]{0,4})$ || $value =~ ^\"([1-9][0-9]{0,4})\"$ ]]; then
        LOW=${BASH_REMATCH[1]} HIGH=${BASH_REMATCH[1]} PORTS="port ${BASH_REMATCH[1]}"
    elif [[ $value =~ ^\"([1-9][0-9]{0,4})-([1-9][0-9]{0,4})\"$ ]]; then
        LOW=${BASH_REMATCH[1]} HIGH=${BASH_REMATCH[2]} PORTS="ports ${BASH_REMATCH[1]}-${BASH_REMATCH[2]}"
    else
        LOW=0 HIGH=0
    fi
    if ((LOW < 1 || HIGH > 65535 || LOW > HIGH)); then
        json_fail "rule $1: port must be a port number (1-65535), a range like \"8000-8100\" or \"any\""
    fi
}

json_read_params
if param rules; then rules=$JSON_VALUE; else rules=$SAMPLE; fi
param_string firewall 'edge-firewall'
firewall=$REPLY
no_param security_lead_id "the reviewer is the pack's setting security_lead_id (settings.json)"
setting_id security_lead_id
security_lead_id=$REPLY
json_items "$rules" || json_fail "parameter rules must be an array of rule objects"
list=(${JSON_ITEMS[@]+"${JSON_ITEMS[@]}"})
count=${#list[@]}

findings='' high=0 medium=0
for ((r = 0; r < count; r++)); do
    rule=${list[r]}
    if [[ $rule != \{* ]] || ! json_members "$rule"; then
        json_fail "rule $r must be an object"
    fi
    rule_string "$r" action allow 'allow deny'
    action=$REPLY
    rule_string "$r" protocol tcp 'tcp udp icmp any'
    protocol=$REPLY
    rule_ports "$r"
    source='0.0.0.0/0'
    if json_lookup source; then
        if [[ $JSON_VALUE != \"* ]]; then json_fail "rule $r: source must be a string (an address range)"; fi
        source=${JSON_VALUE:1:${#JSON_VALUE}-2}
    fi
    anywhere=0
    case $source in 0.0.0.0/0 | ::/0 | any | '*') anywhere=1 ;; esac
    what="$PORTS/$protocol"
    if [[ $action == allow ]]; then
        sensitive_service "$LOW" "$HIGH"
        if ((anywhere)) && [[ -n $REPLY ]] && ((LOW == HIGH)); then
            severity=high summary="allows $REPLY on $what from anywhere ($source)"
        elif ((anywhere)) && [[ -n $REPLY ]]; then
            severity=high summary="allows $what (including $REPLY) from anywhere ($source)"
        elif ((anywhere && LOW != HIGH)); then
            severity=high summary="allows $what from anywhere ($source)"
        elif ((anywhere)) && [[ $LOW == 80 || $LOW == 443 ]]; then
            severity=low summary="allows public web traffic on $what from anywhere ($source)"
        elif ((anywhere)); then
            severity=medium summary="allows $what from anywhere ($source)"
        else
            severity=low summary="allows $what from $source"
        fi
    elif ((anywhere && LOW == 1 && HIGH == 65535)); then
        severity=high summary="denies $what from anywhere ($source): existing traffic may be cut off"
    else
        severity=low summary="denies $what from $source"
    fi
    case $severity in high) high=$((high + 1)) ;; medium) medium=$((medium + 1)) ;; esac
    findings+="${findings:+,}
      {\"rule_index\": $r, \"severity\": \"$severity\", \"summary\": \"$summary\"}"
done

overall=low
if ((medium > 0)); then overall=medium; fi
if ((high > 0)); then overall=high; fi
IFS= read -r -d '' impact <<JSON
{
    "severity": "$overall",
    "firewall": "$firewall",
    "rules_analyzed": $count,
    "high_impact_rules": $high,
    "findings": [$findings
    ]
  }
JSON
impact=${impact%$'\n'}

if [[ $overall != high ]]; then
    printf '{"status": "applied", "rules_applied": %s, "impact_analysis": %s, "proposed_rules": %s, "message": "Applied %s rule(s) to %s: %s impact"}' \
        "$count" "$impact" "$rules" "$count" "$firewall" "$overall"
    exit 0
fi

verb=are
if ((high == 1)); then verb=is; fi
assignment=''
if [[ -n $security_lead_id ]]; then assignment="\"assigned_to\": $security_lead_id,"; fi
IFS= read -r -d '' result <<JSON
{
  "__inquiry": {
    "prompt": "High-impact firewall changes detected. Approve?",
    "response_schema": {
      "type": "object",
      "title": "Firewall change review",
      "description": "$high of the $count proposed rules for $firewall $verb high impact",
      "properties": {
        "approved": {
          "type": "boolean",
          "title": "Approve the firewall changes",
          "description": "Yes applies all proposed rules to $firewall; no rejects them"
        },
        "review_notes": {
          "type": "string",
          "title": "Review notes",
          "description": "What you checked, or why you reject the change"
        }
      },
      "required": ["approved"]
    },
    $assignment
    "timeout_seconds": 7200
  },
  "impact_analysis": $impact,
  "proposed_rules": $rules
}
JSON
printf '%s' "$result"
