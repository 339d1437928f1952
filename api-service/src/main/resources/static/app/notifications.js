// Live inquiry notifications from the notifier's WebSocket (docs/protocol.md §5). Reconnects with backoff and subscribes with
// `since` = the last notification seen, so nothing is missed across a dropped connection.

const PROTOCOL = 'attune.v1';
const MAX_BACKOFF_MS = 30_000;
const PING_EVERY_MS = 30_000;
const PONG_WITHIN_MS = 10_000;
const TOKEN_EXPIRED = 4001;

/** ws:// or wss:// URL for the configured notifier URL, which may be relative to the page ("/ws"). */
export function resolveSocketUrl(configured, page = window.location.href) {
  const url = new URL(configured, page);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  if (url.protocol === 'https:') url.protocol = 'wss:';
  return url.toString();
}

export class NotificationFeed {
  /**
   * @param url the notifier's WebSocket URL, or a function giving a promise of it
   * @param token the session's access token
   * @param onTokenExpired called when the server closes the socket because the token lapsed
   */
  constructor(url, token, onTokenExpired) {
    this.url = url;
    this.token = token;
    this.onTokenExpired = onTokenExpired;
    this.lastId = null;
    this.listeners = new Set();
    this.statusListeners = new Set();
    this.status = 'connecting';
    this.attempt = 0;
    this.socket = null;
    this.stopped = false;
    this.timers = {};
  }

  /** Calls listener(notification) for each notification; returns the function that stops it. */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Calls listener(status, {resumed}) now and on each change: 'connecting', 'live', 'reconnecting', 'stopped'.
   * `resumed` is true when going live replayed what was missed; false means the client may have missed events.
   */
  watchStatus(listener) {
    this.statusListeners.add(listener);
    listener(this.status, { resumed: false });
    return () => this.statusListeners.delete(listener);
  }

  start() {
    this.stopped = false;
    this.connect();
    return this;
  }

  stop() {
    this.stopped = true;
    Object.values(this.timers).forEach(clearTimeout);
    this.timers = {};
    if (this.socket) {
      this.socket.onclose = null;
      this.socket.close(1000, 'signed out');
      this.socket = null;
    }
    this.setStatus('stopped');
  }

  /** After the network comes back: try again now rather than at the end of the backoff. */
  reconnectNow() {
    if (this.stopped || this.socket) return;
    clearTimeout(this.timers.reconnect);
    this.connect();
  }

  async connect() {
    let socket;
    try {
      const url = typeof this.url === 'function' ? await this.url() : this.url;
      if (this.stopped) return;
      socket = new WebSocket(url, [PROTOCOL, `attune.jwt.${this.token}`]);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => this.sendSubscribe();
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = (event) => {
      this.socket = null;
      clearTimeout(this.timers.ping);
      clearTimeout(this.timers.pong);
      if (this.stopped) return;
      if (event.code === TOKEN_EXPIRED) {
        this.stop();
        this.onTokenExpired?.();
        return;
      }
      this.scheduleReconnect();
    };
  }

  sendSubscribe() {
    const message = { type: 'subscribe', filters: { entity_type: 'inquiry' } };
    if (this.lastId !== null) message.since = this.lastId;
    this.pendingResume = this.lastId !== null;
    this.send(message);
  }

  send(message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  receive(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    this.keepAlive();
    if (message.type === 'subscribed') {
      this.attempt = 0;
      this.setStatus('live', { resumed: this.pendingResume });
    } else if (message.type === 'error') {
      // a replay that stopped early (too many missed, or the trail unavailable): ask for the rest
      if (message.since !== undefined && message.since !== null) {
        this.lastId = Math.max(this.lastId ?? 0, message.since);
        this.sendSubscribe();
      }
    } else if (message.type === 'pong') {
      // keepAlive() above already noted the connection is alive
    } else if (typeof message.id === 'number' && message.entity_type) {
      if (this.lastId !== null && message.id <= this.lastId) return;
      this.lastId = message.id;
      this.listeners.forEach((listener) => listener(message));
    }
  }

  /** A ping now and then notices a connection that died silently (a laptop waking up, a proxy dropping it). */
  keepAlive() {
    clearTimeout(this.timers.pong);
    clearTimeout(this.timers.ping);
    this.timers.ping = setTimeout(() => {
      this.send({ type: 'ping' });
      this.timers.pong = setTimeout(() => this.socket?.close(4000, 'no pong'), PONG_WITHIN_MS);
    }, PING_EVERY_MS);
  }

  scheduleReconnect() {
    this.setStatus('reconnecting');
    const ceiling = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.attempt);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.attempt += 1;
    this.timers.reconnect = setTimeout(() => this.connect(), delay);
  }

  setStatus(status, details = { resumed: false }) {
    this.status = status;
    this.statusListeners.forEach((listener) => listener(status, details));
  }
}
