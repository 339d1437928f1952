// The sign-in page: POST /auth/login; the token is kept in this tab's sessionStorage until sign-out.

import { ApiError, signIn } from './api.js';
import { h } from './dom.js';

export function renderSignIn(container, { query, navigate, onSignedIn }) {
  const notices = {
    expired: 'Your session has ended. Sign in again to continue.',
    'signed-out': 'You have signed out.',
  };
  const notice = notices[query.get('reason')];
  const error = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const login = h('input', { id: 'login', name: 'login', type: 'text', autocomplete: 'username', required: true,
    autocapitalize: 'none', spellcheck: 'false', 'data-autofocus': '' });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password',
    required: true });
  const submit = h('button', { type: 'submit', class: 'button button-primary button-block' }, 'Sign in');

  const form = h('form', { class: 'signin-form', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    error.hidden = true;
    if (!login.value.trim() || !password.value) {
      showError(!login.value.trim() ? 'Enter your login.' : 'Enter your password.');
      (!login.value.trim() ? login : password).focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      const session = await signIn(login.value.trim(), password.value);
      onSignedIn(session);
      navigate(safeNext(query.get('next')), { replace: true });
    } catch (problem) {
      showError(problem instanceof ApiError && problem.status === 401
        ? 'The login or password is not right.' : problem.message);
      password.value = '';
      password.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = 'Sign in';
    }
  } },
  error,
  h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'login' }, 'Login'), login),
  h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'password' }, 'Password'), password),
  submit);

  function showError(message) {
    error.textContent = message;
    error.hidden = false;
  }

  container.append(h('div', { class: 'signin' },
    h('div', { class: 'signin-card' },
      h('h1', { tabindex: '-1' }, 'Sign in'),
      h('p', { class: 'muted' }, 'Answer the inquiries your automations are waiting on.'),
      notice ? h('div', { class: 'alert alert-info', role: 'status' }, notice) : null,
      form)));
  return { title: 'Sign in' };
}

/** Only a route of this app (#/…) may follow sign-in, never another site. */
function safeNext(next) {
  return next && /^#\/[\w\-/?=&%.]*$/.test(next) && !next.startsWith('#/sign-in') ? next : '#/inbox';
}
