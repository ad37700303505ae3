'use strict';
// Writes the JSON Schemas generated from core's zod schemas to schemas/v1/*.json.
// Run through `pnpm schemas` (which builds core first); the drift test fails until this is rerun.
const fs = require('fs');
const path = require('path');

const { toJsonSchemas } = require('../dist/schemas/index.js');

const outDir = path.resolve(__dirname, '../../../schemas/v1');
const schemas = toJsonSchemas();

const files = new Map();
for (const [name, schema] of Object.entries(schemas)) {
  const [version, id] = name.split('/');
  if (version !== 'v1' || !id) {
    throw new Error(`unexpected schema name ${name}: expected v1/<id>`);
  }
  files.set(`${id}.json`, `${JSON.stringify(schema, null, 2)}\n`);
}

fs.mkdirSync(outDir, { recursive: true });
for (const file of fs.readdirSync(outDir)) {
  if (file.endsWith('.json') && !files.has(file)) {
    fs.unlinkSync(path.join(outDir, file));
    console.log(`deleted  schemas/v1/${file}`);
  }
}
let written = 0;
for (const [file, text] of files) {
  const target = path.join(outDir, file);
  const old = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
  if (old !== text) {
    fs.writeFileSync(target, text);
    written += 1;
  }
}
console.log(`schemas/v1: ${files.size} schemas, ${written} written`);
