import { readdirSync, readFileSync } from 'fs';
import { join, relative } from 'path';

/**
 * Core stays pure (STYLE.md rule 1): it may import only its own files and the small pure
 * libraries below — no node: I/O, SDK, web framework, container or monitoring package.
 */
const ALLOWED_PACKAGES = new Set(['zod', 'taskcluster-lib-scopes']);
const SRC = join(__dirname, '..', 'src');

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    // Tests may use test tools (fast-check); what ships is what must stay pure.
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });

const importsOf = (source: string): string[] => {
  const specifiers = [
    ...source.matchAll(/\bfrom\s+['"]([^'"]+)['"]/g),
    ...source.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...source.matchAll(/\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
  ];
  return specifiers.map((match) => match[1]!);
};

describe('packages/core purity', () => {
  const files = sourceFiles(SRC);

  it('finds the core sources', () => {
    expect(files.length).toBeGreaterThan(40);
  });

  it.each(files.map((file) => [relative(SRC, file), file]))('%s imports only core files, zod and taskcluster-lib-scopes', (_name, file) => {
    const foreign = importsOf(readFileSync(file, 'utf8')).filter(
      (specifier) => !specifier.startsWith('.') && !ALLOWED_PACKAGES.has(specifier),
    );
    expect(foreign).toEqual([]);
  });

  it('uses no Node globals for I/O or process state', () => {
    const offenders = files.filter((file) => /\b(process\.|Buffer\.|__dirname|globalThis\.process)/.test(readFileSync(file, 'utf8')));
    expect(offenders.map((file) => relative(SRC, file))).toEqual([]);
  });
});
