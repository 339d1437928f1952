// The app shell: hash routes (#/sign-in, #/inbox, #/inquiries/42), the header, the session and the live feed.

import { currentSession, endSession, isAdmin, onSessionEnd, signOut } from './api.js';
import { h } from './dom.js';
import { startTicking } from './format.js';
import { renderInbox } from './inbox.js';
import { renderExecution } from './execution.js';
import { renderInquiry } from './inquiry.js';
import { renderChannel, renderChannels } from './channels.js';
import { renderInsights } from './insights.js';
import { NotificationFeed, resolveSocketUrl } from './notifications.js';
import { renderSignIn } from './signin.js';

const main = document.getElementById('main');
const header = document.getElementById('header');
const announcer = document.getElementById('announcer');

let view = null;
let feed = null;
let feedStatus = null;
let expiryTimer = null;
let configPromise = null;

const ROUTES = [
  [/^\/sign-in$/, renderSignIn, { public: true }],
  [/^\/inbox$/, renderInbox, {}],
  [/^\/inquiries\/(\d+)$/, renderInquiry, { param: 'id' }],
  [/^\/executions\/(\d+)$/, renderExecution, { param: 'id' }],
  [/^\/insights$/, renderInsights, {}],
  [/^\/channels$/, renderChannels, {}],
  [/^\/channels\/(\d+)$/, renderChannel, { param: 'id' }],
];

/** Says something to screen-reader users without moving focus (the page's polite live region). */
function announce(text) {
  announcer.textContent = '';
  setTimeout(() => { announcer.textContent = text; }, 50);
}

function navigate(hash, { replace = false } = {}) {
  if (replace) {
    history.replaceState(null, '', hash);
    route();
  } else if (location.hash === hash) {
    route();
  } else {
    location.hash = hash;
  }
}

function parseHash() {
  const raw = location.hash.startsWith('#/') ? location.hash.slice(1) : '/inbox';
  const [path, search = ''] = raw.split('?');
  return { path, query: new URLSearchParams(search) };
}

function route() {
  const { path, query } = parseHash();
  const session = currentSession();
  const match = ROUTES.map(([pattern, render, options]) => ({ found: pattern.exec(path), render, options }))
    .find((candidate) => candidate.found);

  if (!session && !(match && match.options.public)) {
    const next = location.hash && !location.hash.startsWith('#/sign-in') ? location.hash : '#/inbox';
    navigate(`#/sign-in?next=${encodeURIComponent(next)}`, { replace: true });
    return;
  }
  if (session && match && match.options.public) {
    navigate('#/inbox', { replace: true });
    return;
  }

  view?.dispose?.();
  view = null;
  main.replaceChildren();
  renderHeader(session);
  if (!match) {
    main.append(h('div', { class: 'not-found' }, h('h1', { tabindex: '-1' }, 'Page not found'),
      h('p', {}, h('a', { href: '#/inbox', class: 'button button-secondary' }, 'Go to the inbox'))));
    finishNavigation('Page not found');
    return;
  }
  const params = match.options.param ? { [match.options.param]: Number(match.found[1]) } : {};
  view = match.render(main, { session, feed, params, query, navigate, announce, onSignedIn: startSession });
  finishNavigation(view?.title ?? '', view?.focusLater);
}

/** A new page: its title, and focus on its heading (or the field marked to take it) for keyboard and screen readers. */
function finishNavigation(title, focusLater = false) {
  document.title = title ? `${title} · Attune` : 'Attune';
  window.scrollTo(0, 0);
  if (focusLater) return;
  const target = main.querySelector('[data-autofocus]') ?? main.querySelector('h1');
  target?.focus();
}

function renderHeader(session) {
  const brand = h('a', { class: 'brand', href: '#/inbox' },
    h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'A'),
    h('span', {}, 'Attune ', h('span', { class: 'brand-sub' }, 'Inquiries')));
  if (!session) {
    header.replaceChildren(h('div', { class: 'topbar-inner' }, brand));
    return;
  }
  feedStatus = h('span', { class: 'live-status', role: 'status' });
  updateFeedStatus(feed?.status ?? 'stopped');
  const { path } = parseHash();
  header.replaceChildren(h('div', { class: 'topbar-inner' },
    brand,
    h('nav', { class: 'topnav', 'aria-label': 'Main' },
      h('a', { href: '#/inbox', 'aria-current': path === '/inbox' ? 'page' : null }, 'Inbox'),
      isAdmin(session)
        ? h('a', { href: '#/insights', 'aria-current': path === '/insights' ? 'page' : null }, 'Insights') : null,
      isAdmin(session)
        ? h('a', { href: '#/channels', 'aria-current': path.startsWith('/channels') ? 'page' : null }, 'Channels')
        : null),
    h('div', { class: 'topbar-user' },
      feedStatus,
      h('span', { class: 'user-name', title: session.user.login },
        session.user.display_name || session.user.login,
        isAdmin(session) ? h('span', { class: 'role' }, 'admin') : null),
      h('button', {
        type: 'button', class: 'button button-quiet button-small', onclick: () => signOut(),
      }, 'Sign out'))));
}

function updateFeedStatus(status) {
  if (!feedStatus) return;
  const labels = {
    live: ['Live', 'Live updates are on'],
    connecting: ['Connecting…', 'Connecting to live updates'],
    reconnecting: ['Reconnecting…', 'Live updates are paused; reconnecting'],
    stopped: ['Offline', 'Live updates are off'],
  };
  const [text, title] = labels[status] ?? labels.stopped;
  feedStatus.textContent = text;
  feedStatus.title = title;
  feedStatus.dataset.state = status;
}

function loadConfig() {
  configPromise ??= fetch('app/config.json', { cache: 'no-store' })
    .then((response) => (response.ok ? response.json() : {}))
    .catch(() => ({}));
  return configPromise;
}

/** The notifier's WebSocket URL: app/config.json says where it is (by default the page's host, port 8081). */
async function notifierUrl() {
  const config = await loadConfig();
  const fallback = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.hostname}:8081/ws`;
  return resolveSocketUrl(config.notifier_url || fallback);
}

function startSession(session) {
  stopFeed();
  clearTimeout(expiryTimer);
  if (session.expiresAt) {
    expiryTimer = setTimeout(() => endSession('expired'), Math.min(session.expiresAt - Date.now(), 2 ** 31 - 1));
  }
  feed = new NotificationFeed(notifierUrl, session.token, () => endSession('expired'));
  feed.watchStatus(updateFeedStatus);
  feed.start();
}

function stopFeed() {
  feed?.stop();
  feed = null;
}

onSessionEnd((reason) => {
  stopFeed();
  clearTimeout(expiryTimer);
  const { path } = parseHash();
  const next = path.startsWith('/sign-in') ? '#/inbox' : location.hash;
  navigate(`#/sign-in?reason=${reason}&next=${encodeURIComponent(next)}`, { replace: true });
});

window.addEventListener('hashchange', route);
window.addEventListener('online', () => feed?.reconnectNow());
document.getElementById('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});

startTicking();
const existing = currentSession();
if (existing) startSession(existing);
route();
