'use strict';
/*
 * Where a V8 CPU profile's time went: top functions by self time (file:line, mapped back to the
 * TypeScript source through dist/*.js.map when there is one) and self time by area.
 *
 *   node packages/http-koa/bench/profile.js FILE.cpuprofile [TOP]
 *
 * Works on the per-phase profiles of `BENCH_PROFILE=1` and on `node --cpu-prof` output.
 */
const fs = require('node:fs');
const path = require('node:path');
const { fileURLToPath } = require('node:url');
const { SourceMap } = require('node:module');

const REPO = path.resolve(__dirname, '..', '..', '..');

const maps = new Map();
const sourceMapOf = (file) => {
  if (maps.has(file)) return maps.get(file);
  let map = null;
  try {
    const payload = JSON.parse(fs.readFileSync(`${file}.map`, 'utf8'));
    map = { map: new SourceMap(payload), dir: path.dirname(file) };
  } catch {
    map = null;
  }
  maps.set(file, map);
  return map;
};

const fileOf = (url) => {
  if (!url) return '';
  if (url.startsWith('file://')) {
    try {
      return fileURLToPath(url);
    } catch {
      return url;
    }
  }
  return url;
};

/** "file:line" of a call frame, through the source map when the file has one. */
const locate = (callFrame) => {
  const file = fileOf(callFrame.url);
  if (!file) return '';
  const line = callFrame.lineNumber;
  const column = callFrame.columnNumber;
  if (path.isAbsolute(file)) {
    const sm = sourceMapOf(file);
    if (sm && line >= 0) {
      const entry = sm.map.findEntry(line, Math.max(0, column));
      if (entry && entry.originalSource) {
        const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : path.resolve(sm.dir, entry.originalSource);
        return `${relative(source)}:${entry.originalLine + 1}`;
      }
    }
    return `${relative(file)}:${line + 1}`;
  }
  return `${file}:${line + 1}`;
};

const relative = (file) => {
  const rel = path.relative(REPO, file);
  if (rel.startsWith('..')) return file;
  // pnpm's store: keep the package name, drop the versioned directory.
  return rel.replace(/^node_modules\/\.pnpm\/[^/]+\/node_modules\//, '').replace(/^packages\/[^/]+\/node_modules\/\.pnpm\/[^/]+\/node_modules\//, '');
};

/** Which part of the stack a frame belongs to. */
const areaOf = (callFrame) => {
  const { url, functionName } = callFrame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'V8/native (program)';
    return `native: ${functionName || '(anonymous)'}`;
  }
  if (url.startsWith('node:')) {
    if (/^node:(_http|http|net|stream|internal\/streams|internal\/http|internal\/stream_base|events|internal\/timers|timers)/.test(url)) return 'node http/net/streams/events';
    return `node: ${url.slice(5).split('/').slice(0, 2).join('/')}`;
  }
  const file = fileOf(url);
  const m = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (m && !m[1].startsWith('@taskcluster-queue')) return `npm: ${m[1]}`;
  const pkg = /packages\/([^/]+)\/(dist|bench)\/(.*)/.exec(file);
  if (pkg) {
    const [, name, kind, rest] = pkg;
    if (kind === 'bench') return `${name}/bench`;
    return `${name}: ${rest.split('/').slice(0, rest.includes('/') ? 1 : 0).join('/') || rest}`;
  }
  return relative(file);
};

const summarize = (profile, top = 25) => {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  // The bench server's own profiler start-up (server.js profileStart) is not server work.
  const excluded = new Set();
  const exclude = (node, inside) => {
    const here = inside || (node.callFrame.functionName === 'profileStart' && node.callFrame.url.endsWith('bench/server.js'));
    if (here) excluded.add(node.id);
    for (const child of node.children ?? []) exclude(byId.get(child), here);
  };
  const childIds = new Set(profile.nodes.flatMap((node) => node.children ?? []));
  for (const node of profile.nodes) if (!childIds.has(node.id)) exclude(node, false);
  const self = new Map(); // node id -> µs
  const { samples = [], timeDeltas = [] } = profile;
  for (let i = 0; i < samples.length; i++) {
    if (excluded.has(samples[i])) continue;
    self.set(samples[i], (self.get(samples[i]) ?? 0) + Math.max(0, timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  let idle = 0;
  const fns = new Map();
  const areas = new Map();
  for (const [id, us] of self) {
    const { callFrame } = byId.get(id);
    if (callFrame.functionName === '(idle)') idle += us;
    const where = locate(callFrame);
    const key = `${callFrame.functionName || '(anonymous)'} ${where}`;
    const fn = fns.get(key) ?? { name: callFrame.functionName || '(anonymous)', where, us: 0 };
    fn.us += us;
    fns.set(key, fn);
    const area = areaOf(callFrame);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  // Total time: each sample counts once for every distinct function on its stack. Async code
  // resumes from the microtask queue, so this only covers the synchronous stretch of each call.
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const keyOf = new Map();
  const keyFor = (id) => {
    if (!keyOf.has(id)) {
      const { callFrame } = byId.get(id);
      keyOf.set(id, `${callFrame.functionName || '(anonymous)'} ${locate(callFrame)}`);
    }
    return keyOf.get(id);
  };
  const inclusive = new Map();
  for (const [id, us] of self) {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parentOf.get(at)) {
      const { callFrame } = byId.get(at);
      if (!callFrame.url || callFrame.url.startsWith('node:')) continue;
      const key = keyFor(at);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  const busy = total - idle || 1;
  const pct = (us) => Math.round((us / busy) * 1000) / 10;
  return {
    totalMs: Math.round(total / 1000),
    busyMs: Math.round(busy / 1000),
    idlePct: Math.round((idle / total) * 1000) / 10,
    functions: [...fns.values()]
      .filter((f) => f.name !== '(idle)')
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ selfMs: Math.round(f.us / 1000), pctOfBusy: pct(f.us), name: f.name, where: f.where })),
    inclusive: [...inclusive.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, us]) => ({ totalMs: Math.round(us / 1000), pctOfBusy: pct(us), function: key })),
    areas: [...areas.entries()]
      .filter(([area]) => area !== 'idle')
      .sort((a, b) => b[1] - a[1])
      .map(([area, us]) => ({ area, selfMs: Math.round(us / 1000), pctOfBusy: pct(us) })),
  };
};

const format = (s, title = '') => {
  const lines = [`${title}busy ${s.busyMs} ms of ${s.totalMs} ms sampled (idle ${s.idlePct}%); % of busy time`];
  lines.push('  top self time:');
  for (const f of s.functions) lines.push(`    ${String(f.pctOfBusy).padStart(5)}%  ${String(f.selfMs).padStart(6)} ms  ${f.name}  ${f.where}`);
  if (s.inclusive) {
    lines.push('  top total time (synchronous stretch; JS frames outside node: only):');
    for (const f of s.inclusive) lines.push(`    ${String(f.pctOfBusy).padStart(5)}%  ${String(f.totalMs).padStart(6)} ms  ${f.function}`);
  }
  lines.push('  by area (self time):');
  for (const a of s.areas.slice(0, 18)) lines.push(`    ${String(a.pctOfBusy).padStart(5)}%  ${String(a.selfMs).padStart(6)} ms  ${a.area}`);
  return lines.join('\n');
};

module.exports = { summarize, format };

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node profile.js FILE.cpuprofile [TOP]\n');
    process.exit(2);
  }
  const summary = summarize(JSON.parse(fs.readFileSync(file, 'utf8')), Number(top) || 25);
  process.stdout.write(`${format(summary, `${file}\n`)}\n`);
}
