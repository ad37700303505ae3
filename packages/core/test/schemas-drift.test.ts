import * as fs from 'fs';
import * as path from 'path';
import { toJsonSchemas } from '../src/schemas';

// schemas/v1/*.json are generated from the zod schemas; this keeps the committed copies honest.
const dir = path.resolve(__dirname, '../../../schemas/v1');
const FIX = 'Run `pnpm schemas` to regenerate schemas/v1 from packages/core/src/schemas.';

const expected = new Map(
  Object.entries(toJsonSchemas()).map(([name, schema]) => [
    `${name.replace(/^v1\//, '')}.json`,
    `${JSON.stringify(schema, null, 2)}\n`,
  ]),
);
const committed = fs.existsSync(dir) ? fs.readdirSync(dir).filter((file) => file.endsWith('.json')).sort() : [];

describe('schemas/v1 matches the zod schemas', () => {
  it('has no missing file', () => {
    const missing = [...expected.keys()].filter((file) => !committed.includes(file));
    if (missing.length > 0) throw new Error(`Missing from schemas/v1: ${missing.join(', ')}. ${FIX}`);
  });

  it('has no extra file', () => {
    const extra = committed.filter((file) => !expected.has(file));
    if (extra.length > 0) throw new Error(`Not generated from zod, yet in schemas/v1: ${extra.join(', ')}. ${FIX}`);
  });

  it('has no stale file', () => {
    const stale = committed.filter(
      (file) => expected.has(file) && fs.readFileSync(path.join(dir, file), 'utf8') !== expected.get(file),
    );
    if (stale.length > 0) throw new Error(`Out of date in schemas/v1: ${stale.join(', ')}. ${FIX}`);
  });
});
