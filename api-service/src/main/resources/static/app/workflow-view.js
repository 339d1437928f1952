// The workflow around an inquiry: every task of the definition in order, what has run (with its status), the step
// this inquiry is, and what each answer leads to — read from that task's `next` conditions.

import { h, uniqueId } from './dom.js';
import { statusBadge } from './format.js';

/**
 * workflow: GET /api/v1/executions/{id}/workflow; currentExecution: the execution of the task run to highlight.
 */
export function workflowPanel(workflow, currentExecution) {
  const headingId = uniqueId('workflow');
  const tasks = workflow.outline?.tasks ?? [];
  const current = workflow.runs.find((run) => run.execution === currentExecution);
  const list = h('ol', { class: 'workflow-steps' });
  for (const task of tasks) {
    const runs = workflow.runs.filter((run) => run.task === task.name);
    const isCurrent = current && current.task === task.name;
    const state = isCurrent ? 'current' : runs.length === 0 ? 'not-reached' : 'ran';
    const item = h('li', { class: `workflow-step workflow-step-${state}`, 'data-task': task.name,
      'aria-current': isCurrent ? 'step' : null },
    h('span', { class: 'workflow-step-name' }, task.name),
    ' ',
    h('span', { class: 'muted' }, task.kind === 'inquiry' ? '(a question)' : `(${task.action})`),
    ' ',
    ...runs.map((run) => statusBadge(run.status)),
    isCurrent ? h('strong', { class: 'workflow-here' }, ' ← this question') : null);
    if (isCurrent || state === 'current') item.append(leadsTo(task));
    list.append(item);
  }
  return h('section', { class: 'panel panel-workflow', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, `Workflow ${workflow.ref} `, statusBadge(workflow.status)),
    workflow.outline?.description ? h('p', { class: 'muted' }, workflow.outline.description) : null,
    list,
    h('p', {}, h('a', { href: `#/executions/${workflow.execution}` }, 'The whole run')));
}

function leadsTo(task) {
  if (!task.next || task.next.length === 0) {
    return h('p', { class: 'workflow-leads-to' }, 'Nothing follows this step: the branch ends with the answer.');
  }
  return h('div', { class: 'workflow-leads-to' },
    h('p', {}, 'What the answer leads to:'),
    h('ul', {}, ...task.next.map((entry) => h('li', {},
      entry.when ? h('code', {}, entry.when) : 'always',
      ' → ',
      entry.do.join(', ')))));
}

/** A workflow run as a tree: its task runs in order, each with its status, and the chain's inquiries. */
export function runTree(workflow, inquiries) {
  const byParent = new Map();
  for (const run of workflow.runs) {
    const key = run.caused_by ?? 0;
    if (!byParent.has(key)) byParent.set(key, []);
    byParent.get(key).push(run);
  }
  const inquiryOf = new Map(inquiries.map((inquiry) => [inquiry.execution, inquiry]));
  const branch = (parent) => {
    const runs = byParent.get(parent) ?? [];
    if (runs.length === 0) return null;
    return h('ul', { class: 'workflow-tree' }, ...runs.map((run) => {
      const inquiry = inquiryOf.get(run.execution);
      return h('li', { 'data-task': run.task },
        h('span', { class: 'workflow-step-name' }, run.task), ' ', statusBadge(run.status),
        inquiry ? [' ', h('a', { href: `#/inquiries/${inquiry.id}` }, inquiry.prompt)] : null,
        branch(run.id));
    }));
  };
  return branch(0) ?? h('p', { class: 'muted' }, 'No task has run yet.');
}
