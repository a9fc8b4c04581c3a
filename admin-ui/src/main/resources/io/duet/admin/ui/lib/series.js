// The dashboard's time series: the columns of GET /metrics/history merged as polls arrive (poll with `since` = the
// newest atMillis seen), kept for an hour, and cut to a time window with a null sample wherever the node kept none
// (a restart, a stalled sampler), so a chart shows a gap there instead of a line drawn across it.

/** One key per pool, route (per virtual host) or server (per pool). */
export const seriesKey = s => s.kind + ':' + (s.pool || s.vhost || '') + ':' + s.name;

const at = (column, i) => (column ? column[i] : null);
const perSecond = (count, ms) => (count === null || count === undefined || !ms ? null : count * 1000 / ms);

/** The rows (one per interval) of one series of an answer of GET /metrics/history. */
function rowsOf(s) {
  const rows = [];
  const r = s.responses || {};
  const d = s.duetErrors || {};
  const l = s.latencyMs || {};
  for (let i = 0; i < s.atMillis.length; i++) {
    const ms = s.intervalMillis[i];
    const duetColumns = Object.values(d);
    const duet = duetColumns.length ? duetColumns.reduce((sum, c) => sum + (c[i] || 0), 0) : null;
    rows.push({ at: s.atMillis[i], rps: at(s.requestsPerSecond, i),
      e4: perSecond(at(r['4xx'], i), ms), e5: perSecond(at(r['5xx'], i), ms), duet: perSecond(duet, ms),
      p50: at(l.p50, i), p95: at(l.p95, i), p99: at(l.p99, i) });
  }
  return rows;
}

export class SeriesStore {
  constructor(keepMillis) {
    this.keepMillis = keepMillis;
    this.byKey = new Map();
    this.newest = 0; // the newest atMillis seen: the next poll's since
    this.periodMillis = 5000;
  }

  /** Adds the samples of an answer; drops those older than keepMillis before its `now`. */
  merge(answer) {
    this.periodMillis = answer.periodMillis || this.periodMillis;
    for (const s of answer.series || []) {
      const key = seriesKey(s);
      const entry = this.byKey.get(key) || { kind: s.kind, scope: s.pool || s.vhost || null, name: s.name, rows: [] };
      const last = entry.rows.length ? entry.rows[entry.rows.length - 1].at : 0;
      for (const row of rowsOf(s)) if (row.at > last) entry.rows.push(row);
      for (const row of entry.rows) this.newest = Math.max(this.newest, row.at);
      this.byKey.set(key, entry);
    }
    const oldest = (answer.now || Date.now()) - this.keepMillis;
    for (const entry of this.byKey.values()) {
      while (entry.rows.length && entry.rows[0].at < oldest) entry.rows.shift();
    }
  }

  /** The series of one kind, by name (scope first). */
  of(kind) {
    return [...this.byKey.values()].filter(e => e.kind === kind)
      .sort((a, b) => (a.scope || '').localeCompare(b.scope || '') || a.name.localeCompare(b.name));
  }

  /**
   * The columns of fields (e.g. ['rps']) of entry from fromMillis on: {at: [...], columns: [[...], ...]}, with a
   * null row after every hole longer than one and a half periods.
   */
  window(entry, fields, fromMillis) {
    const at = [];
    const columns = fields.map(() => []);
    let previous = null;
    for (const row of entry.rows) {
      if (row.at < fromMillis) continue;
      if (previous !== null && row.at - previous > this.periodMillis * 1.5) {
        at.push(previous + this.periodMillis);
        columns.forEach(c => c.push(null));
      }
      at.push(row.at);
      fields.forEach((f, k) => columns[k].push(row[f] === undefined ? null : row[f]));
      previous = row.at;
    }
    return { at, columns };
  }
}
