import type { Endpoint } from '../endpoints';

/**
 * Route templates compiled to regular expressions over the raw (still percent-encoded) path.
 * Clients send `/` inside a parameter as `%2F` (`/claim-work/prov%2Fwt`) or plainly
 * (`/claim-work/prov/wt`); both must route, so a task queue id matches either one segment holding
 * `%2F` or two plain segments, and an artifact name takes the rest of the path.
 */
const STRICT: Readonly<Record<string, string>> = {
  taskQueueId: '[^/%]+%2[Ff][^/%]+|[^/%]+/[^/%]+',
  name: '.+',
};
/** Second pass: any single segment, so a malformed id gets a 400 naming it instead of a 404. */
const LOOSE: Readonly<Record<string, string>> = { name: '.+' };
const SEGMENT = '[^/]+';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The route's pattern (one plain capture group per parameter, in order) and its parameter names. */
const compile = (route: string, patterns: Readonly<Record<string, string>>, prefix: string) => {
  const names: string[] = [];
  const source = route
    .split(/(<[A-Za-z]+>)/)
    .map((part) => {
      const param = /^<([A-Za-z]+)>$/.exec(part)?.[1];
      if (!param) return escape(part);
      names.push(param);
      return `(${patterns[param] ?? SEGMENT})`;
    })
    .join('');
  return { pattern: new RegExp(`^${escape(prefix)}${source}$`), names };
};

interface CompiledRoute {
  readonly endpoint: Endpoint;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

/** A matched request: its endpoint and its path parameters, decoded. */
export interface RouteMatch {
  readonly endpoint: Endpoint;
  readonly params: Readonly<Record<string, string>>;
}

/**
 * `strict`: what the router matches. `loose`: tried only when nothing matched, so a malformed
 * parameter gets its 400 without every request paying for a second set of patterns.
 */
const compileRoutes = (endpoints: readonly Endpoint[], prefix = '') => ({
  strict: endpoints.map((endpoint): CompiledRoute => ({ endpoint, ...compile(endpoint.route, STRICT, prefix) })),
  loose: endpoints.map((endpoint): CompiledRoute => ({ endpoint, ...compile(endpoint.route, LOOSE, prefix) })),
});

const decode = (raw: string): string => {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};

/** The first segment of every route is literal: requests are looked up by method and that segment. */
const firstSegment = (path: string, from: number): string => {
  const end = path.indexOf('/', from);
  return end < 0 ? path.slice(from) : path.slice(from, end);
};

type Buckets = Map<string, CompiledRoute[]>;

const bucketsOf = (routes: readonly CompiledRoute[], headToo: boolean): Buckets => {
  const buckets: Buckets = new Map();
  for (const route of routes) {
    const segment = firstSegment(route.endpoint.route, 1);
    if (segment.includes('<')) throw new Error(`route ${route.endpoint.route} must start with a literal segment`);
    const methods = route.endpoint.method === 'get' && headToo ? ['GET', 'HEAD'] : [route.endpoint.method.toUpperCase()];
    for (const method of methods) {
      const key = `${method} ${segment}`;
      const bucket = buckets.get(key) ?? [];
      // In table order: the first endpoint whose pattern matches answers, as the table reads.
      bucket.push(route);
      buckets.set(key, bucket);
    }
  }
  return buckets;
};

const matchIn = (bucket: readonly CompiledRoute[] | undefined, path: string): RouteMatch | undefined => {
  if (bucket === undefined) return undefined;
  for (const { endpoint, pattern, names } of bucket) {
    const found = pattern.exec(path);
    if (found === null) continue;
    // A bad escape is passed on as the raw text, for the use case to refuse by name.
    const params: Record<string, string> = {};
    for (let i = 0; i < names.length; i++) params[names[i]!] = decode(found[i + 1]!);
    return { endpoint, params };
  }
  return undefined;
};

/**
 * The router of the endpoint table: `GET` routes also answer `HEAD` (not in the loose pass); routes live under `prefix`,
 * and `rootRoutes` (Dockerflow's `/__heartbeat__` & co) also at the root, where a trailing slash
 * and any case are accepted. A request is tested only against the routes of its method and first
 * path segment, strict patterns first, then the loose ones (a malformed parameter gets its 400).
 */
export const createRouter = (endpoints: readonly Endpoint[], prefix: string, rootRoutes: readonly Endpoint[] = []) => {
  const routes = compileRoutes(endpoints, prefix);
  const strict = bucketsOf(routes.strict, true);
  const loose = bucketsOf(routes.loose, false);
  const root = rootRoutes.map((endpoint) => ({ endpoint, pattern: new RegExp(`^${escape(endpoint.route)}/?$`, 'i') }));
  const rootMethods = new Set(['GET', 'HEAD']);
  return {
    match(method: string, path: string): RouteMatch | undefined {
      if (path.length > prefix.length && path.startsWith(prefix) && path.charCodeAt(prefix.length) === 47 /* / */) {
        const key = `${method} ${firstSegment(path, prefix.length + 1)}`;
        const found = matchIn(strict.get(key), path) ?? matchIn(loose.get(key), path);
        if (found) return found;
      }
      if (rootMethods.has(method)) {
        for (const { endpoint, pattern } of root) if (pattern.test(path)) return { endpoint, params: {} };
      }
      return undefined;
    },
  };
};
