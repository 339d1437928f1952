// Channels for admins (#/channels, #/channels/7): list them with their status, create and edit webhooks, email and
// Slack channels, send a test, and read the delivery log with every try. Everything goes through /api/v1/channels.

import { api, ApiError, query as queryString } from './api.js';
import { h } from './dom.js';
import { formatTime } from './format.js';

const TYPES = [['webhook', 'Webhook'], ['email', 'Email'], ['slack', 'Slack']];
const ACTIVITIES = ['created', 'responded', 'timeout', 'cancelled', 'escalated', 'reminder'];
const MASK = '********';
// per type: [config key, label, input type, help]
const FIELDS = {
  webhook: [
    ['url', 'URL', 'url', 'Each event is POSTed here as JSON, signed as Standard Webhooks says.'],
    ['secret', 'Signing secret', 'password', 'whsec_ and the base64 of 24 to 64 bytes. Leave empty to have one made (new channel) or to keep it (existing).'],
  ],
  email: [
    ['subject_prefix', 'Subject prefix', 'text', 'Optional, e.g. [Attune]. Messages go to each approver\'s email attribute.'],
  ],
  slack: [
    ['webhook_url', 'Incoming webhook URL', 'url', 'https://hooks.slack.com/services/…'],
    ['signing_secret', 'Signing secret', 'password', 'The Slack app\'s signing secret. Leave empty to keep it.'],
  ],
};

function adminOnly(container, session) {
  if (session.user.roles.includes('admin')) return false;
  container.append(h('div', { class: 'not-found' }, h('h1', { tabindex: '-1' }, 'Channels are for admins'),
    h('p', { class: 'muted' }, 'Ask an admin to set up where inquiries are announced.')));
  return true;
}

function showError(box, error) {
  box.replaceChildren();
  box.hidden = false;
  const message = error instanceof ApiError ? error.message : String(error);
  box.append(h('p', {}, message));
  if (error instanceof ApiError && error.details?.length) {
    box.append(h('ul', {}, error.details.map((d) => h('li', { dataset: { path: d.path } },
      h('code', {}, d.path), ' ', d.message))));
  }
}

function statusText(status) {
  if (!status) return '';
  const labels = { ok: 'OK', retrying: 'Retrying', failing: 'Failing', unavailable: 'Cannot send', disabled: 'Disabled' };
  return labels[status.state] ?? status.state;
}

function statusBadge(status) {
  const tone = { ok: 'responded', retrying: 'pending', failing: 'cancelled', unavailable: 'cancelled', disabled: 'timeout' };
  return h('span', { class: `badge badge-${tone[status?.state] ?? 'timeout'}`, dataset: { state: status?.state } },
    statusText(status));
}

/** The channel form; fills from {channel} when editing. Returns {form, read()}. */
function channelForm(channel, onSubmit, submitLabel) {
  const type = h('select', { id: 'channel-type', name: 'type', disabled: channel ? true : null },
    TYPES.map(([value, label]) => h('option', { value, selected: channel?.type === value }, label)));
  const name = h('input', { id: 'channel-name', name: 'name', type: 'text', required: true, maxlength: 200,
    value: channel?.name ?? '' });
  const configBox = h('div', { class: 'form-fields', id: 'channel-config' });
  const inputs = {};
  const drawConfig = () => {
    configBox.replaceChildren();
    for (const key of Object.keys(inputs)) delete inputs[key];
    for (const [key, label, inputType, help] of FIELDS[type.value]) {
      const id = `channel-${key.replaceAll('_', '-')}`;
      const stored = channel?.config?.[key];
      const input = h('input', { id, name: key, type: inputType, autocomplete: 'off',
        value: stored && stored !== MASK ? stored : '', placeholder: stored === MASK ? 'set (hidden): leave empty to keep' : '' });
      inputs[key] = input;
      configBox.append(h('div', { class: 'field' }, h('label', { class: 'field-label', for: id }, label),
        input, h('p', { class: 'field-help' }, help)));
    }
  };
  type.addEventListener('change', drawConfig);
  drawConfig();
  const wanted = channel?.filters?.activity ?? [];
  const activities = ACTIVITIES.map((activity) => h('label', { class: 'checkbox' },
    h('input', { type: 'checkbox', id: `activity-${activity}`, value: activity, checked: wanted.includes(activity) }),
    ' ', activity));
  const assigned = channel?.filters?.assigned_to;
  // what the form cannot show — a group filter, activities it does not list — is kept as it is on save
  const unlistedActivities = wanted.filter((activity) => !ACTIVITIES.includes(activity));
  const groupFilter = assigned?.group !== undefined ? assigned : null;
  const assignedTo = h('input', { id: 'channel-assigned-to', type: 'text', inputmode: 'numeric',
    value: typeof assigned === 'number' ? String(assigned) : assigned?.user ?? '' ,
    placeholder: 'any' });
  const assignedField = groupFilter
    ? h('p', { class: 'field', id: 'channel-assigned-group' },
      `Only inquiries an identity of group ${groupFilter.group} may answer (set over the API; kept)`)
    : h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'channel-assigned-to' },
      'Only inquiries assigned to identity (id)'), assignedTo);
  const enabled = h('input', { id: 'channel-enabled', type: 'checkbox', checked: channel ? channel.enabled : true });
  const errors = h('div', { class: 'alert alert-error', role: 'alert', id: 'channel-errors', hidden: true });

  const read = () => {
    const config = {};
    for (const [key, input] of Object.entries(inputs)) {
      if (input.value.trim() !== '') config[key] = input.value.trim();
    }
    const filters = { ...channel?.filters };
    const chosen = activities.map((label) => label.querySelector('input')).filter((i) => i.checked).map((i) => i.value)
      .concat(unlistedActivities);
    if (chosen.length) filters.activity = chosen;
    else delete filters.activity;
    if (!groupFilter) {
      if (assignedTo.value.trim() !== '') filters.assigned_to = Number(assignedTo.value.trim());
      else delete filters.assigned_to;
    }
    const body = { name: name.value.trim(), config, filters, enabled: enabled.checked };
    if (!channel) body.type = type.value;
    return body;
  };
  const submit = h('button', { type: 'submit', class: 'button button-primary', id: 'channel-save' }, submitLabel);
  const form = h('form', { class: 'answer-form', id: 'channel-form', novalidate: true },
    errors,
    h('div', { class: 'form-fields' },
      h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'channel-type' }, 'Type'), type),
      h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'channel-name' }, 'Name'), name)),
    configBox,
    h('fieldset', { class: 'nested-fields' }, h('legend', {}, 'Announce these activities (none checked: all)'),
      h('div', { class: 'choices choices-inline' }, activities)),
    assignedField,
    h('label', { class: 'checkbox' }, enabled, ' Enabled'),
    h('div', { class: 'form-actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.hidden = true;
    submit.disabled = true;
    try {
      await onSubmit(read());
    } catch (error) {
      showError(errors, error);
      errors.focus?.();
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

export function renderChannels(container, { session, navigate, announce }) {
  const title = 'Channels';
  if (adminOnly(container, session)) return { title };
  const problem = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const list = h('div', { class: 'table-wrap', id: 'channels-table', 'aria-busy': 'true' });
  const form = channelForm(null, async (body) => {
    const created = (await api.post('/api/v1/channels', body)).data;
    const secret = created.config?.secret;
    if (secret) sessionStorage.setItem(`attune.channel.${created.id}.secret`, secret);
    announce(`Channel ${created.name} created`);
    navigate(`#/channels/${created.id}`);
  }, 'Create channel');
  container.append(
    h('div', { class: 'page-header' }, h('div', {}, h('h1', { tabindex: '-1' }, title),
      h('p', { class: 'muted' }, 'Where inquiries are announced besides the inbox: webhooks, email and Slack.'))),
    problem,
    h('section', { class: 'panel', 'aria-labelledby': 'channels-heading' },
      h('h2', { id: 'channels-heading' }, 'Channels'), list),
    h('section', { class: 'panel', 'aria-labelledby': 'new-channel-heading' },
      h('h2', { id: 'new-channel-heading' }, 'New channel'), form));
  api.get('/api/v1/channels?per_page=100').then((page) => {
    list.removeAttribute('aria-busy');
    if (!page.data.length) {
      list.append(h('p', { class: 'muted empty-state' }, 'No channel yet.'));
      return;
    }
    list.append(h('table', { class: 'data-table' },
      h('thead', {}, h('tr', {}, ['Name', 'Type', 'Status', 'Announces'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, page.data.map((c) => h('tr', { dataset: { channel: c.id } },
        h('td', {}, h('a', { href: `#/channels/${c.id}` }, c.name)),
        h('td', {}, c.type),
        h('td', {}, statusBadge(c.status), c.status?.reason ? h('span', { class: 'small muted' }, ' ', c.status.reason) : null),
        h('td', {}, c.filters?.activity?.join(', ') ?? 'all activities'))))));
  }).catch((error) => showError(problem, error));
  return { title };
}

export function renderChannel(container, { session, params, navigate, announce }) {
  const title = `Channel ${params.id}`;
  if (adminOnly(container, session)) return { title };
  const problem = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, id: 'channel-problem' });
  const notice = h('div', { class: 'alert alert-success', role: 'status', hidden: true, id: 'channel-notice' });
  const header = h('div', { class: 'page-header' });
  const status = h('p', { id: 'channel-status' });
  const formBox = h('div', {});
  const deliveries = h('div', { class: 'table-wrap', id: 'deliveries-table' });
  container.append(h('p', { class: 'breadcrumb' }, h('a', { href: '#/channels' }, '← Channels')),
    header, problem, notice, status,
    h('section', { class: 'panel', 'aria-labelledby': 'edit-heading' }, h('h2', { id: 'edit-heading' }, 'Settings'), formBox),
    h('section', { class: 'panel', 'aria-labelledby': 'deliveries-heading' },
      h('div', { class: 'page-header' }, h('h2', { id: 'deliveries-heading' }, 'Deliveries'),
        h('button', { type: 'button', class: 'button button-secondary button-small', id: 'deliveries-refresh',
          onclick: () => loadDeliveries() }, 'Refresh')),
      deliveries));

  const secretOnce = sessionStorage.getItem(`attune.channel.${params.id}.secret`);
  if (secretOnce) {
    sessionStorage.removeItem(`attune.channel.${params.id}.secret`);
    notice.hidden = false;
    notice.append(h('p', {}, 'Copy the signing secret now: it is not shown again.'),
      h('code', { id: 'channel-secret-once', class: 'code' }, secretOnce));
  }

  const draw = (channel) => {
    header.replaceChildren(h('div', {}, h('h1', { tabindex: '-1' }, channel.name),
      h('p', { class: 'muted' }, `${channel.type} channel #${channel.id}`)),
    h('div', { class: 'admin-actions' },
      h('button', { type: 'button', class: 'button button-secondary', id: 'channel-test', onclick: sendTest }, 'Send a test'),
      h('button', { type: 'button', class: 'button button-danger-quiet', id: 'channel-delete', onclick: () => remove(channel) },
        'Delete')));
    status.replaceChildren('Status: ', statusBadge(channel.status),
      channel.status?.reason ? h('span', { class: 'muted' }, ' ', channel.status.reason) : null,
      channel.status?.pending ? h('span', { class: 'muted' }, ` · ${channel.status.pending} waiting`) : null);
    formBox.replaceChildren(channelForm(channel, async (body) => {
      const changed = (await api.patch(`/api/v1/channels/${channel.id}`, body)).data;
      announce('Channel saved');
      notice.hidden = false;
      notice.replaceChildren(h('p', {}, 'Saved.'));
      draw(changed);
    }, 'Save'));
  };

  const sendTest = async () => {
    problem.hidden = true;
    try {
      const delivery = (await api.post(`/api/v1/channels/${params.id}/test`)).data;
      notice.hidden = false;
      notice.replaceChildren(h('p', {}, `Test message queued (${delivery.message_id}); it appears below once sent.`));
      announce('Test message queued');
      loadDeliveries();
    } catch (error) {
      showError(problem, error);
    }
  };

  const remove = async (channel) => {
    if (!window.confirm(`Delete channel ${channel.name} and its delivery log?`)) return;
    try {
      await api.delete(`/api/v1/channels/${channel.id}`);
      announce(`Channel ${channel.name} deleted`);
      navigate('#/channels');
    } catch (error) {
      showError(problem, error);
    }
  };

  const loadDeliveries = async () => {
    deliveries.setAttribute('aria-busy', 'true');
    try {
      const page = await api.get(`/api/v1/channels/${params.id}/deliveries${queryString({ per_page: 50 })}`);
      deliveries.replaceChildren();
      if (!page.data.length) {
        deliveries.append(h('p', { class: 'muted empty-state' }, 'Nothing delivered yet.'));
        return;
      }
      deliveries.append(h('p', { class: 'small muted' }, `${page.total} deliveries, newest first.`),
        h('table', { class: 'data-table' },
          h('thead', {}, h('tr', {}, ['Event', 'Inquiry', 'To', 'Status', 'Tries', 'Last answer', 'Next try']
            .map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, page.data.map((d) => h('tr', { dataset: { delivery: d.id, status: d.status } },
            h('td', {}, d.event_type, h('br'), h('span', { class: 'small muted' }, d.message_id)),
            h('td', {}, d.inquiry ? h('a', { href: `#/inquiries/${d.inquiry}` }, `#${d.inquiry}`) : '—'),
            h('td', {}, d.recipient ?? '—'),
            h('td', {}, d.status),
            h('td', {}, String(d.attempts), d.tries.length ? h('details', {}, h('summary', {}, 'each try'),
              h('ol', {}, d.tries.map((t) => h('li', {}, `${t.status}${t.response_code ? ` (${t.response_code})` : ''}`
                + `${t.error ? `: ${t.error}` : ''} · ${formatTime(t.started_at)}`)))) : null),
            h('td', {}, d.last_response_code ? String(d.last_response_code) : '', d.last_error
              ? h('span', { class: 'small muted' }, ' ', d.last_error) : null),
            h('td', {}, d.next_attempt_at ? formatTime(d.next_attempt_at) : '—'))))));
    } catch (error) {
      showError(problem, error);
    } finally {
      deliveries.removeAttribute('aria-busy');
    }
  };

  api.get(`/api/v1/channels/${params.id}`).then((body) => {
    draw(body.data);
    loadDeliveries();
  }).catch((error) => {
    if (error instanceof ApiError && error.status === 404) {
      container.replaceChildren(h('div', { class: 'not-found' }, h('h1', { tabindex: '-1' }, 'Channel not found'),
        h('p', {}, h('a', { href: '#/channels' }, 'All channels'))));
    } else {
      showError(problem, error);
    }
  });
  return { title };
}
