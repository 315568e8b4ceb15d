// The inspector page of snowflake-auth-mock (issue #12): polls the control API of the mock that
// served it and shows the journal, the world, the clock and the faults. No framework, no build.
// Every value from the mock goes into the page as text (textContent, attribute values), never as
// markup: a request's path, a user name or a claim is whatever a client chose to send.
'use strict';

(() => {
  const POLL_MS = 1000;
  /** Rows kept in the page; the journal itself may hold many more. */
  const MAX_ROWS = 500;

  const $ = (id) => document.getElementById(id);
  /** `instance`: the id of the journal the cursor belongs to (the mock's `GET journal?since=` answer). */
  const state = { cursor: 0, instance: undefined, entries: new Map(), worldKey: '', faultsKey: '' };

  // ---- small DOM helpers: text only --------------------------------------------------------------

  /** An element with text content and optional class; children appended as given. */
  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function cell(text, className) {
    return el('td', text === undefined || text === null || text === '' ? '—' : text, className);
  }

  /** A table with a caption and column headers (th scope=col), one row per item. */
  function table(caption, headers, rows) {
    const t = el('table', undefined, 'grid compact');
    t.append(typeof caption === 'string' ? el('caption', caption) : caption);
    const head = el('thead');
    const tr = el('tr');
    for (const h of headers) {
      const th = el('th', h);
      th.scope = 'col';
      tr.append(th);
    }
    head.append(tr);
    const body = el('tbody');
    for (const cells of rows) {
      const row = el('tr');
      row.append(...cells);
      body.append(row);
    }
    t.append(head, body);
    return t;
  }

  function badge(text, kind) {
    return el('span', text, `badge ${kind}`);
  }

  // ---- formatting --------------------------------------------------------------------------------

  /** `2026-03-01T12:00:00.000Z` → `2026-03-01 12:00:00`. */
  function shortTime(iso) {
    return typeof iso === 'string' ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : String(iso);
  }

  /** A duration in ms as people read it: `14d 23h`, `3h 5m`, `59m 30s`, `2s`. */
  function duration(ms) {
    const s = Math.floor(Math.abs(ms) / 1000);
    const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    if (d > 0) return `${d}d ${h}h`;
    if (h > 0) return `${h}h ${m}m`;
    return m > 0 ? `${m}m ${s % 60}s` : `${s}s`;
  }

  function setStatus(text) {
    $('status').textContent = text;
  }

  // ---- talking to the mock -----------------------------------------------------------------------

  async function getJson(path, init) {
    const res = await fetch(path, { cache: 'no-store', headers: { accept: 'application/json' }, ...init });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body && body.error ? body.error : `${path} answered ${res.status}`);
    return body;
  }

  /**
   * One load at a time: a call while one runs asks for one more run after it, and resolves after
   * that. The poller and the clock buttons both refresh; overlapping answers could arrive out of order.
   */
  function serial(load) {
    let running = null;
    let again = false;
    const run = async () => {
      try {
        await load();
      } finally {
        if (again) {
          again = false;
          await run();
        }
      }
    };
    return () => {
      if (running) {
        again = true;
        return running;
      }
      running = run().finally(() => {
        running = null;
      });
      return running;
    };
  }

  async function refreshAll() {
    const jobs = [refreshWorld(), refreshFaults()];
    if (!$('pause').checked) jobs.push(refreshJournal());
    await Promise.all(jobs);
  }

  async function poll() {
    try {
      await refreshAll();
      if ($('status').dataset.kind === 'offline') setStatus('');
      $('status').dataset.kind = '';
    } catch (error) {
      setStatus(`The mock does not answer: ${error.message}`);
      $('status').dataset.kind = 'offline';
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  // ---- journal -----------------------------------------------------------------------------------

  const refreshJournal = serial(loadJournal);

  async function loadJournal() {
    const answer = await getJson(`journal?since=${state.cursor}&limit=${MAX_ROWS}`);
    // Another journal (a restarted mock counts from 1 again, and may already be past the old cursor
    // before this poll): its sequence numbers say nothing about the rows shown, so start over.
    if (answer.instance !== state.instance) {
      state.instance = answer.instance;
      dropRowsBelow(Infinity);
      if (state.cursor !== 0) {
        state.cursor = 0;
        return loadJournal();
      }
    }
    dropRowsBelow(answer.firstSeq);
    for (const entry of answer.entries) addRow(entry);
    state.cursor = answer.lastSeq;
    trimRows();
    applyFilters();
  }

  /** Short names for the auth column; the detail shows the journal's own name. */
  const AUTH_LABELS = { PROGRAMMATIC_ACCESS_TOKEN: 'PAT', KEYPAIR_JWT: 'key-pair JWT', OAUTH: 'OAuth', PASSWORD: 'password', MFA: 'MFA' };

  function addRow(entry) {
    if (state.entries.has(entry.seq)) return;
    state.entries.set(entry.seq, entry);
    const row = el('tr', undefined, `entry ${entry.decision}`);
    row.tabIndex = 0;
    row.dataset.seq = String(entry.seq);
    const path = cell(entry.path, 'path');
    path.title = entry.path;
    const explanation = el('td', undefined, 'explanation');
    explanation.append(el('span', entry.explanation));
    explanation.title = entry.explanation;
    const decision = el('td');
    decision.append(badge(entry.decision, entry.decision));
    const time = cell(shortTime(entry.at).slice(5), 'time');
    time.title = entry.at;
    const auth = cell(AUTH_LABELS[entry.authMethod] ?? entry.authMethod, 'auth');
    if (entry.authMethod) auth.title = entry.authMethod;
    row.append(time, cell(entry.method, 'method'), path, cell(entry.user, 'user'), auth, decision, cell(entry.code ?? entry.cause, 'code'), explanation);
    $('journal-rows').prepend(row);
  }

  /** Forgets rows the journal no longer holds (cleared, reset, or pushed out of its ring). */
  function dropRowsBelow(firstSeq) {
    for (const row of [...$('journal-rows').rows]) {
      const seq = Number(row.dataset.seq);
      if (seq < firstSeq) {
        row.remove();
        state.entries.delete(seq);
      }
    }
  }

  function trimRows() {
    const rows = $('journal-rows').rows;
    while (rows.length > MAX_ROWS) {
      const last = rows[rows.length - 1];
      state.entries.delete(Number(last.dataset.seq));
      last.remove();
    }
  }

  function matches(entry, filters) {
    if (filters.decision && entry.decision !== filters.decision) return false;
    if (filters.user && !(entry.user ?? '').toLowerCase().includes(filters.user)) return false;
    if (filters.code && !(entry.code ?? '').startsWith(filters.code) && !(entry.cause ?? '').toUpperCase().startsWith(filters.code.toUpperCase())) return false;
    return true;
  }

  function applyFilters() {
    const filters = { decision: $('filter-decision').value, user: $('filter-user').value.trim().toLowerCase(), code: $('filter-code').value.trim() };
    let shown = 0;
    for (const row of $('journal-rows').rows) {
      const visible = matches(state.entries.get(Number(row.dataset.seq)), filters);
      row.hidden = !visible;
      if (visible) shown++;
    }
    const total = state.entries.size;
    $('journal-count').textContent = total === 0 ? 'No request yet.' : shown === total ? `${total} request${total === 1 ? '' : 's'}` : `Showing ${shown} of ${total} requests`;
  }

  // ---- detail dialog -----------------------------------------------------------------------------

  const FIELDS = [
    ['seq', 'Sequence'], ['at', 'Time (mock)'], ['method', 'Method'], ['path', 'Path'], ['account', 'Account'], ['clientIp', 'Client IP'],
    ['authMethod', 'Auth method'], ['user', 'User'], ['role', 'Role'], ['decision', 'Decision'], ['status', 'HTTP status'],
    ['code', 'Snowflake code'], ['cause', 'Cause'], ['rule', 'Rule'], ['explanation', 'Explanation'],
  ];
  const TIME_CLAIMS = new Set(['iat', 'exp', 'nbf', 'auth_time']);

  function fillFields(dl, pairs) {
    dl.replaceChildren();
    for (const [name, value] of pairs) dl.append(el('dt', name), el('dd', value));
  }

  function claimText(name, value) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (!TIME_CLAIMS.has(name) || typeof value !== 'number') return text;
    // A claim is whatever the client sent: past year 275760 (exp: 1e13) there is no date, and
    // toISOString would throw and leave the dialog shut. The number alone is shown then.
    const date = new Date(value * 1000);
    return Number.isNaN(date.getTime()) ? text : `${text} (${date.toISOString()})`;
  }

  function jwtPairs(part) {
    if (part === null || part === undefined) return [['(unreadable)', 'not JSON']];
    return Object.entries(part).map(([name, value]) => [name, claimText(name, value)]);
  }

  /** Opens the full entry; closing the modal dialog gives focus back to the row (the platform does it). */
  function openDetail(seq) {
    const entry = state.entries.get(seq);
    if (!entry) return;
    $('detail-title').textContent = `Request #${entry.seq}: ${entry.method} ${entry.path}`;
    fillFields($('detail-fields'), FIELDS.filter(([key]) => entry[key] !== undefined).map(([key, label]) => [label, String(entry[key])]));
    const jwt = entry.jwt;
    $('detail-jwt').hidden = !jwt;
    if (jwt) {
      fillFields($('jwt-header'), jwtPairs(jwt.header));
      fillFields($('jwt-claims'), jwtPairs(jwt.claims));
    }
    $('detail').showModal();
    $('detail-close').focus();
  }

  function rowOf(target) {
    return target instanceof Element ? target.closest('tr[data-seq]') : null;
  }

  // ---- world -------------------------------------------------------------------------------------

  const refreshWorld = serial(loadWorld);

  async function loadWorld() {
    const summary = await getJson('world/summary');
    $('clock-now').textContent = `${shortTime(summary.clock.now)} UTC`;
    $('clock-mode').textContent = summary.clock.frozen ? 'frozen' : 'running';
    const view = summary.accounts.map(accountView);
    // Rebuilt only when what it shows changed, so a selection or a screen reader is not disturbed every second.
    const key = JSON.stringify(view);
    if (key === state.worldKey) return;
    state.worldKey = key;
    $('world-accounts').replaceChildren(...view.map(renderAccount));
  }

  /**
   * What an account shows, as strings (time left rounded as displayed). A cell is a string, or
   * [text, second line]; `states` names the columns shown as a badge.
   */
  function accountView(a) {
    return {
      title: `${a.name} (${a.locator})`,
      policy: a.networkPolicy,
      cards: [
        { caption: 'Users', headers: ['User', 'Auth methods', 'Status', 'Network policy'], states: [2],
          rows: a.users.map((u) => [u.loginName === u.name ? u.name : [u.name, `login ${u.loginName}`], u.authMethods.join(', '), userStatus(u), u.networkPolicy ?? '']) },
        { caption: 'Programmatic access tokens (mock clock)', headers: ['PAT', 'Expires', 'Time left'], states: [2],
          rows: a.pats.map((p) => [[p.name, `${p.user}${p.roleRestriction ? ` · role ${p.roleRestriction}` : ''}`], shortTime(p.expiresAt).slice(0, 16), patLeft(p)]) },
        { caption: 'Network policies', headers: ['Policy', 'Allowed', 'Blocked', 'Set on'],
          rows: a.networkPolicies.map((n) => [n.name, [...n.allowed, ...n.allowedRules.map((r) => `rule ${r}`)].join(', '), [...n.blocked, ...n.blockedRules.map((r) => `rule ${r}`)].join(', '), n.usedBy.join(', ')]) },
        { caption: 'Public keys', headers: ['Owner', 'Slot', 'Fingerprint'], wide: true, mono: [2],
          rows: a.keys.map((k) => [k.owner, k.slot, k.fingerprint]) },
        { caption: 'Security integrations', headers: ['Integration', 'Type', 'State', 'Detail', 'Network policy'], wide: true, states: [2],
          rows: a.integrations.map((i) => [i.name, i.type, i.enabled ? 'enabled' : 'disabled', i.detail, i.networkPolicy ?? '']) },
      ],
    };
  }

  function userStatus(u) {
    if (u.disabled) return 'disabled';
    if (u.lockedUntil) return `locked until ${shortTime(u.lockedUntil)}`;
    return 'active';
  }

  function patLeft(p) {
    if (p.expired) return `expired ${duration(p.msLeft)} ago`;
    if (p.disabled) return `disabled (${duration(p.msLeft)} left)`;
    return `${duration(p.msLeft)} left`;
  }

  const STATE_BADGES = [[/^expired/, 'bad'], [/^disabled/, 'bad'], [/^locked/, 'warn'], [/^active$|^enabled$/, 'good']];

  /** A cell whose text is a state gets a badge, so the state is seen at a glance (and still read as text). */
  function stateCell(text) {
    const match = STATE_BADGES.find(([pattern]) => pattern.test(text));
    if (!match) return cell(text);
    const td = el('td');
    td.append(badge(text, match[1]));
    return td;
  }

  function specCell(spec, isState, isMono) {
    if (Array.isArray(spec)) {
      const td = el('td', spec[0]);
      td.append(el('span', spec[1], 'second'));
      return td;
    }
    return isState ? stateCell(spec) : cell(spec, isMono ? 'mono' : undefined);
  }

  function renderCard(card) {
    const rows = card.rows.map((r) => r.map((spec, i) => specCell(spec, (card.states ?? []).includes(i), (card.mono ?? []).includes(i))));
    const t = table(card.caption, card.headers, rows);
    if (rows.length === 0) t.tBodies[0].append(emptyRow(card.headers.length));
    const box = el('div', undefined, card.wide ? 'card wide' : 'card');
    box.append(t);
    return box;
  }

  function renderAccount(view) {
    const box = el('section', undefined, 'account');
    box.append(el('h3', view.title));
    if (view.policy) box.append(el('p', `Account network policy: ${view.policy}`, 'note'));
    const cards = el('div', undefined, 'cards');
    cards.append(...view.cards.map(renderCard));
    box.append(cards);
    return box;
  }

  function emptyRow(span) {
    const tr = el('tr');
    const td = el('td', 'none', 'none');
    td.colSpan = span;
    tr.append(td);
    return tr;
  }

  // ---- faults ------------------------------------------------------------------------------------

  const refreshFaults = serial(loadFaults);

  async function loadFaults() {
    const { faults } = await getJson('faults');
    const rows = faults.map((f) => [`#${f.id}`, f.method ?? 'any', f.path, faultAnswer(f), String(f.remaining)]);
    const key = JSON.stringify(rows);
    if (key === state.faultsKey) return;
    state.faultsKey = key;
    const list = $('faults-list');
    if (rows.length === 0) return list.replaceChildren(el('p', 'No fault injected.', 'note'));
    list.replaceChildren(table(el('caption', 'Injected faults, checked in order', 'visually-hidden'), ['Fault', 'Method', 'Path', 'Answer', 'Left'], rows.map((r) => r.map((t) => cell(t)))));
  }

  function faultAnswer(f) {
    const parts = [];
    if (f.reset) parts.push('connection reset');
    else if (f.status !== undefined) parts.push(`status ${f.status}`);
    if (f.delayMs) parts.push(`after ${duration(f.delayMs)}`);
    return parts.join(', ') || 'normal answer';
  }

  // ---- clock -------------------------------------------------------------------------------------

  async function advance(by) {
    try {
      const clock = await getJson('clock', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ advance: by }) });
      setStatus(`Clock advanced by ${by}: now ${shortTime(clock.now)} UTC.`);
      $('advance-by').removeAttribute('aria-invalid');
      await refreshAll();
      return true;
    } catch (error) {
      setStatus(`Cannot advance the clock: ${error.message}`);
      return false;
    }
  }

  // ---- wiring ------------------------------------------------------------------------------------

  function wire() {
    for (const button of document.querySelectorAll('button[data-advance]')) button.addEventListener('click', () => advance(button.dataset.advance));
    $('advance-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const input = $('advance-by');
      const ok = await advance(input.value.trim());
      if (ok) input.value = '';
      else input.setAttribute('aria-invalid', 'true');
    });
    for (const id of ['filter-decision', 'filter-user', 'filter-code']) $(id).addEventListener('input', applyFilters);
    $('pause').addEventListener('change', () => {
      $('live-state').textContent = $('pause').checked ? 'paused' : 'live';
    });
    const rows = $('journal-rows');
    rows.addEventListener('click', (event) => {
      const row = rowOf(event.target);
      if (row) openDetail(Number(row.dataset.seq));
    });
    rows.addEventListener('keydown', (event) => {
      const row = rowOf(event.target);
      if (!row || (event.key !== 'Enter' && event.key !== ' ')) return;
      event.preventDefault();
      openDetail(Number(row.dataset.seq));
    });
    $('detail-close').addEventListener('click', () => $('detail').close());
  }

  wire();
  poll();
})();
