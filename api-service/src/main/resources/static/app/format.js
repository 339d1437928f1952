// Small formatting helpers: times, countdowns, names. Pure functions, plus the one ticker that updates countdowns.

const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "15 Jan 2026, 10:30" in the browser's locale and time zone. */
export function formatTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : absolute.format(date);
}

/** "3 minutes ago", "in 2 hours". */
export function relativeTime(iso, now = Date.now()) {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const units = [['day', 86400], ['hour', 3600], ['minute', 60]];
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return Math.abs(seconds) < 10 ? 'just now' : format.format(seconds, 'second');
}

/** "2d 4h", "1h 05m", "4m 09s", "12s" — the time left until a deadline, never negative. */
export function formatDuration(milliseconds) {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  const days = Math.floor(total / 86400);
  const hours = Math.floor((total % 86400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n) => String(n).padStart(2, '0');
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${two(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${two(seconds)}s`;
  return `${seconds}s`;
}

/** What a countdown shows and how urgent it is: {text, state: 'none' | 'ok' | 'soon' | 'urgent' | 'over'}. */
export function countdown(timeoutAt, now = Date.now()) {
  if (!timeoutAt) return { text: 'No time limit', state: 'none' };
  const left = new Date(timeoutAt).getTime() - now;
  if (left <= 0) return { text: 'Time is up', state: 'over' };
  const state = left < 5 * 60_000 ? 'urgent' : left < 60 * 60_000 ? 'soon' : 'ok';
  return { text: `${formatDuration(left)} left`, state };
}

/** A countdown element that the ticker keeps current. */
export function countdownElement(timeoutAt) {
  const element = document.createElement('time');
  element.className = 'countdown';
  if (timeoutAt) {
    element.dataset.deadline = timeoutAt;
    element.dateTime = timeoutAt;
    element.title = `Times out ${formatTime(timeoutAt)}`;
  }
  updateCountdown(element);
  return element;
}

function updateCountdown(element, now = Date.now()) {
  const { text, state } = countdown(element.dataset.deadline, now);
  if (element.textContent !== text) element.textContent = text;
  element.dataset.state = state;
}

let ticker = null;

/** Updates every countdown on the page once a second. */
export function startTicking() {
  if (ticker) return;
  ticker = setInterval(() => {
    const now = Date.now();
    document.querySelectorAll('time.countdown[data-deadline]').forEach((element) => updateCountdown(element, now));
  }, 1000);
}

/** "deployment_plan" → "Deployment plan", "recordIndex" → "Record index". */
export function humanize(name) {
  const words = String(name)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\-.]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : String(name);
}

/**
 * An assigned_to as the API shows it (a user id, {user}, {group} or a list of these) as a list of {user} / {group};
 * empty for "anyone".
 */
export function assignees(assignedTo) {
  if (assignedTo === null || assignedTo === undefined) return [];
  return (Array.isArray(assignedTo) ? assignedTo : [assignedTo]).map((entry) => (typeof entry === 'number'
    ? { user: entry } : entry)).filter((entry) => entry && (entry.user !== undefined || entry.group !== undefined));
}

/** Whether the user (with its groups, when known) is one of the assignees, or the inquiry is for anyone. */
export function isAssignee(assignedTo, user, groups = []) {
  const list = assignees(assignedTo);
  return list.length === 0 || list.some((entry) => (entry.user !== undefined && user && entry.user === user.id)
    || (entry.group !== undefined && groups.includes(entry.group)));
}

function assigneeWords(assignedTo, user, you, userWord) {
  return assignees(assignedTo).map((entry) => (entry.group !== undefined ? `group ${entry.group}`
    : user && entry.user === user.id ? you : `${userWord} #${entry.user}`)).join(', ');
}

/** Who an inquiry is assigned to, within a sentence: "you", "anyone", "user #5", "group sre". */
export function assigneeNames(assignedTo, user) {
  return assignees(assignedTo).length === 0 ? 'anyone' : assigneeWords(assignedTo, user, 'you', 'user');
}

/** The same as a label: "You", "Anyone", "User #5", "Group sre". */
export function assigneeLabel(assignedTo, user) {
  const words = assigneeNames(assignedTo, user);
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The same as a phrase: "Assigned to you", "Anyone may answer", "Assigned to user #5", "Assigned to group sre". */
export function assignmentPhrase(assignedTo, user) {
  if (assignees(assignedTo).length === 0) return 'Anyone may answer';
  return `Assigned to ${assigneeWords(assignedTo, user, 'you', 'user')}`;
}

export const STATUS_LABELS = {
  pending: 'Pending',
  responded: 'Answered',
  timeout: 'Timed out',
  cancelled: 'Cancelled',
};

export function statusBadge(status) {
  const badge = document.createElement('span');
  badge.className = `badge badge-${status}`;
  badge.textContent = STATUS_LABELS[status] ?? status;
  return badge;
}
