#!/usr/bin/env bash
# examples.deploy_approval — the seed's "Deployment Approval": prepares a deployment plan and asks a person to approve
# it before anything is deployed.
#
# Parameters (all optional): service, version, target (strings), changes (array of strings).
# Who must answer is the pack's setting deploy_approver_id (settings.json, the operator's): anyone but the requester
# may answer when it is not set. The requester cannot choose their approver.
# Needs nothing but bash. deploy_approval_python.py and deploy_approval_js.js do exactly the same.
set -u
here=.
if [[ ${BASH_SOURCE[0]} == */* ]]; then here=${BASH_SOURCE[0]%/*}; fi
. "$here/../lib/json.sh" || exit 2

json_read_params
param_string service 'api-service'
service=$REPLY
param_string version 'v2.5.0'
version=$REPLY
param_string target 'production'
target=$REPLY
param_strings changes
changes=$REPLY
no_param approver_id "the approver is the pack's setting deploy_approver_id (settings.json)"
setting_id deploy_approver_id
approver_id=$REPLY

release=$version
if [[ $release != v* ]]; then release="v$version"; fi
assignment=''
if [[ -n $approver_id ]]; then assignment="\"assigned_to\": $approver_id,"; fi

IFS= read -r -d '' result <<JSON
{
  "__inquiry": {
    "prompt": "Approve deployment of $service $release to $target?",
    "response_schema": {
      "type": "object",
      "title": "Deployment approval",
      "description": "Deploy $service $release to $target",
      "properties": {
        "approved": {
          "type": "boolean",
          "title": "Approve this deployment",
          "description": "Yes deploys $service $release to $target; no stops it"
        },
        "rollback_plan": {
          "type": "string",
          "title": "Rollback plan",
          "description": "How to roll back if the deployment misbehaves (optional)"
        },
        "comments": {
          "type": "string",
          "title": "Comments",
          "description": "Anything the team should know about this decision (optional)"
        }
      },
      "required": ["approved"]
    },
    $assignment
    "timeout_seconds": 1800
  },
  "deployment_plan": {
    "service": "$service",
    "version": "$version",
    "target": "$target",
    "strategy": "rolling",
    "changes": $changes,
    "steps": [
      "Run pre-deployment checks against $target",
      "Roll out $service $release to $target, 25% of instances at a time",
      "Watch health checks and error rates for 10 minutes after each step",
      "Roll back to the previous version if the error rate rises"
    ]
  }
}
JSON
printf '%s' "$result"
