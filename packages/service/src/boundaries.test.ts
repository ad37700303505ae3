import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Monitoring lives only in the composition root (DESIGN.md: Sentry is initialised only in
 * packages/service), and workers only schedules core's jobs (STYLE.md rule 11).
 */
const PACKAGES = join(__dirname, '..', '..');

const sources = (dir: string): string[] =>
  (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('dist') ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });

const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/(?:\bfrom\s+|\brequire\s*\(\s*|\bimport\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);

describe('package boundaries', () => {
  it('only packages/service uses @sentry/node, prom-client or inversify', () => {
    const offenders = readdirSync(PACKAGES)
      .filter((name) => name !== 'service')
      .flatMap((name) => sources(join(PACKAGES, name, 'src')))
      .filter((file) => importsOf(file).some((spec) => /^(@sentry\/|prom-client$|inversify$)/.test(spec)));
    expect(offenders.map((file) => relative(PACKAGES, file))).toEqual([]);
  });

  it('packages/workers imports only core and node-cron (its tests also core/testing)', () => {
    const foreign = sources(join(PACKAGES, 'workers', 'src')).flatMap((file) =>
      importsOf(file)
        .filter((spec) => !spec.startsWith('.') && spec !== '@taskcluster-queue/core' && spec !== 'node-cron')
        .filter((spec) => !(file.endsWith('.test.ts') && spec === '@taskcluster-queue/core/testing'))
        .map((spec) => `${relative(PACKAGES, file)}: ${spec}`),
    );
    expect(foreign).toEqual([]);
  });
});
