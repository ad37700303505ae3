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

const compile = (route: string, patterns: Readonly<Record<string, string>>): RegExp =>
  new RegExp(
    `^${route
      .split(/(<[A-Za-z]+>)/)
      .map((part) => {
        const param = /^<([A-Za-z]+)>$/.exec(part)?.[1];
        return param ? `(?<${param}>${patterns[param] ?? SEGMENT})` : escape(part);
      })
      .join('')}$`,
  );

export interface CompiledRoute {
  readonly endpoint: Endpoint;
  readonly pattern: RegExp;
}

/**
 * `strict`: what the router matches. `loose`: tried only when nothing matched, so a malformed
 * parameter gets its 400 without every request paying for a second set of patterns.
 */
export const compileRoutes = (endpoints: readonly Endpoint[], prefix = '') => {
  const withPrefix = (pattern: RegExp) => new RegExp(`^${escape(prefix)}${pattern.source.slice(1)}`);
  return {
    strict: endpoints.map((endpoint) => ({ endpoint, pattern: withPrefix(compile(endpoint.route, STRICT)) })),
    loose: endpoints.map((endpoint) => ({ endpoint, pattern: withPrefix(compile(endpoint.route, LOOSE)) })),
  };
};

/** Decoded parameters of a matched path; a bad escape is reported as the raw text. */
export const paramsOf = (pattern: RegExp, path: string): Record<string, string> => {
  const groups = pattern.exec(path)?.groups ?? {};
  return Object.fromEntries(
    Object.entries(groups).map(([name, raw]) => {
      try {
        return [name, decodeURIComponent(raw)];
      } catch {
        return [name, raw];
      }
    }),
  );
};
