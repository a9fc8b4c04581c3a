// The servers of the new-pool form, one per line: `[id] address:port [weight=N] [backup]`, parsed with an error per
// bad line (a line without a port is refused, never cut into a wrong address).

const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]]+):(\d{1,5})$/;

/**
 * The servers of text ({id?, address, port, weight?, backup?}) and the errors of its bad lines (each names the line
 * and what was expected). Empty lines are skipped.
 */
export function parseServerLines(text) {
  const servers = [];
  const errors = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const where = 'line ' + (i + 1) + " ('" + line + "'): ";
    const tokens = line.split(/\s+/);
    const at = tokens.findIndex(t => t.includes(':') && !t.startsWith('weight='));
    const addressAt = at >= 0 ? at : (tokens.length > 1 && !/=|^backup$/.test(tokens[1]) ? 1 : 0);
    if (addressAt > 1) { errors.push(where + 'expected [id] address:port [weight=N] [backup]'); return; }
    const hostPort = tokens[addressAt];
    const m = HOST_PORT.exec(hostPort);
    if (!m) {
      errors.push(where + (hostPort.includes(':') ? "'" + hostPort + "' is not address:port"
        + (/:.*:/.test(hostPort) ? ' (an IPv6 address in brackets: [::1]:8080)' : '')
        : "'" + hostPort + "' has no port (expected address:port, e.g. " + hostPort + ':8080)'));
      return;
    }
    const port = Number(m[2]);
    if (port < 1 || port > 65535) { errors.push(where + 'port ' + m[2] + ' (expected 1-65535)'); return; }
    const server = { address: m[1].replace(/^\[|\]$/g, ''), port };
    if (addressAt === 1) server.id = tokens[0];
    for (const t of tokens.slice(addressAt + 1)) {
      const w = /^weight=(\d+)$/.exec(t);
      if (w) server.weight = Number(w[1]);
      else if (t === 'backup') server.backup = true;
      else { errors.push(where + "'" + t + "' (expected weight=N or backup after the address)"); return; }
    }
    servers.push(server);
  });
  return { servers, errors };
}
