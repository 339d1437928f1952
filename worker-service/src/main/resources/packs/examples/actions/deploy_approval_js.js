#!/usr/bin/env node
// examples.deploy_approval_js: the seed's JavaScript deployment approval, made runnable.
//
// The seed's action returns an __inquiry asking a person to approve a deployment, with the deployment plan as
// context. Here the worker passes the parameters as JSON on stdin and reads the result from stdout.
//
// Parameters (all optional): service, version, target (strings), changes (array of strings). Who must answer is the
// pack's setting deploy_approver_id (settings.json, the operator's), never the requester's choice. The result is the
// same as deploy_approval.sh's and deploy_approval_python.py's.
'use strict';

class ParameterError extends Error {}

function stringParam(config, name, fallback) {
  const value = config[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string') throw new ParameterError(`parameter ${name} must be a string`);
  return value;
}

function stringsParam(config, name) {
  const value = config[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new ParameterError(`parameter ${name} must be an array of strings`);
  }
  return value;
}

function noParam(config, name, why) {
  if (config[name] !== undefined && config[name] !== null) {
    throw new ParameterError(`parameter ${name} is not taken: ${why}`);
  }
}

// Identity id NAME from the pack's settings.json (next to actions/), undefined when absent or null.
function settingId(name) {
  let settings;
  try {
    settings = JSON.parse(require('fs').readFileSync(require('path').join(__dirname, '..', 'settings.json'), 'utf8'));
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw new ParameterError(`the pack's settings.json cannot be read: ${error.message}`);
  }
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
    throw new ParameterError("the pack's settings.json must be a JSON object");
  }
  const value = settings[name];
  if (value === undefined || value === null) return undefined;
  if (Number.isInteger(value) && value > 0 && value < 1e15) return value;
  throw new ParameterError(`setting ${name} in the pack's settings.json must be an identity id (an integer)`);
}

const releaseOf = (version) => (version.startsWith('v') ? version : `v${version}`);

async function prepareDeploy(config) {
  const service = stringParam(config, 'service', 'api-service');
  const version = stringParam(config, 'version', 'v2.5.0');
  const target = stringParam(config, 'target', 'production');
  return {
    service,
    version,
    target,
    strategy: 'rolling',
    changes: stringsParam(config, 'changes'),
    steps: [
      `Run pre-deployment checks against ${target}`,
      `Roll out ${service} ${releaseOf(version)} to ${target}, 25% of instances at a time`,
      'Watch health checks and error rates for 10 minutes after each step',
      'Roll back to the previous version if the error rate rises',
    ],
  };
}

async function run(config) {
  noParam(config, 'approver_id', "the approver is the pack's setting deploy_approver_id (settings.json)");
  // Prepare deployment
  const plan = await prepareDeploy(config);
  const what = `${plan.service} ${releaseOf(plan.version)} to ${plan.target}`;

  // Request approval with assigned user
  return {
    __inquiry: {
      prompt: `Approve deployment of ${what}?`,
      response_schema: {
        type: 'object',
        title: 'Deployment approval',
        description: `Deploy ${what}`,
        properties: {
          approved: {
            type: 'boolean',
            title: 'Approve this deployment',
            description: `Yes deploys ${what}; no stops it`,
          },
          rollback_plan: {
            type: 'string',
            title: 'Rollback plan',
            description: 'How to roll back if the deployment misbehaves (optional)',
          },
          comments: {
            type: 'string',
            title: 'Comments',
            description: 'Anything the team should know about this decision (optional)',
          },
        },
        required: ['approved'],
      },
      assigned_to: settingId('deploy_approver_id'),
      timeout_seconds: 1800,
    },
    deployment_plan: plan,
  };
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  const config = text.trim() === '' ? {} : JSON.parse(text);
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new ParameterError('the parameters on stdin must be a JSON object');
  }
  process.stdout.write(JSON.stringify(await run(config)));
}

main().catch((error) => {
  process.stderr.write(`${error instanceof ParameterError ? error.message : error.stack}\n`);
  process.exitCode = 2;
});
