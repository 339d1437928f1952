// One execution: its status and result; for a workflow, the tree of its task runs (each under the run whose
// decision started it) with the chain's inquiries, oldest first, and a Cancel button for admins and the requester.

import { api, ApiError, isAdmin } from './api.js';
import { renderValue } from './data-view.js';
import { h } from './dom.js';
import { formatTime, statusBadge } from './format.js';
import { runTree } from './workflow-view.js';

const UNFINISHED = new Set(['requested', 'running', 'paused']);

export function renderExecution(container, ctx) {
  const id = ctx.params.id;
  let disposed = false;

  async function show(flash = null) {
    // An approver may read the workflow around their question (and its inquiries) without being allowed the
    // workflow execution itself (its parameters and result): then the page shows what the workflow view holds.
    const [execution, workflow, inquiries] = await Promise.all([
      api.get(`/api/v1/executions/${id}`).then((body) => body.data).catch((error) => ({ error })),
      api.get(`/api/v1/executions/${id}/workflow`).then((body) => body.data).catch(() => null),
      api.get(`/api/v1/executions/${id}/inquiries`).then((body) => body.data).catch(() => []),
    ]);
    if (disposed) return;
    if (execution.error && !workflow) {
      const { error } = execution;
      container.replaceChildren(h('h1', { tabindex: '-1' }, error instanceof ApiError && error.status === 404
        ? `Execution #${id} not found` : `Execution #${id} could not be loaded`));
      return;
    }
    const readable = !execution.error;
    const status = readable ? execution.status : workflow.status;
    const user = ctx.session.user;
    const mayCancel = readable && UNFINISHED.has(status) && (isAdmin(ctx.session) || execution.requested_by === user.id);
    container.replaceChildren(
      h('h1', { tabindex: '-1' }, workflow ? `Workflow ${workflow.ref}` : execution.action_ref, ' ',
        statusBadge(status)),
      flash ? h('div', { class: 'alert alert-info', role: 'status' }, flash) : null,
      readable ? h('dl', { class: 'data-list' },
        h('dt', {}, 'Started'), h('dd', {}, formatTime(execution.created)),
        h('dt', {}, 'Parameters'), h('dd', {}, renderValue(execution.parameters ?? {})),
        execution.parent ? [h('dt', {}, 'Part of'), h('dd', {},
          h('a', { href: `#/executions/${execution.parent}` }, `workflow #${execution.parent}`))] : null) : null,
      workflow ? h('section', { class: 'panel', 'aria-label': 'Task runs' }, h('h2', {}, 'Task runs'),
        runTree(workflow, inquiries)) : null,
      inquiries.length ? h('section', { class: 'panel', 'aria-label': 'Inquiries' }, h('h2', {}, 'Inquiries'),
        h('ol', {}, ...inquiries.map((inquiry) => h('li', {},
          h('a', { href: `#/inquiries/${inquiry.id}` }, inquiry.prompt), ' ', statusBadge(inquiry.status))))) : null,
      mayCancel ? h('button', { class: 'button button-danger', type: 'button', onclick: cancel }, 'Cancel') : null,
      readable ? h('details', { class: 'raw-json' }, h('summary', {}, 'Result as JSON'),
        h('pre', { class: 'code' }, JSON.stringify(execution.result, null, 2))) : null);
  }

  async function cancel() {
    try {
      await api.post(`/api/v1/executions/${id}/cancel`, {});
      show('Cancelled, with everything still running in it.');
    } catch (error) {
      show(error.message);
    }
  }

  show();
  return { title: `Execution #${id}`, dispose() { disposed = true; } };
}
