"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
const fs = __importStar(require("fs"));
const path = __importStar(require("path"));
const schemas_1 = require("../src/schemas");
// schemas/v1/*.json are generated from the zod schemas; this keeps the committed copies honest.
const dir = path.resolve(__dirname, '../../../schemas/v1');
const FIX = 'Run `pnpm schemas` to regenerate schemas/v1 from packages/core/src/schemas.';
const expected = new Map(Object.entries((0, schemas_1.toJsonSchemas)()).map(([name, schema]) => [
    `${name.replace(/^v1\//, '')}.json`,
    `${JSON.stringify(schema, null, 2)}\n`,
]));
const committed = fs.existsSync(dir) ? fs.readdirSync(dir).filter((file) => file.endsWith('.json')).sort() : [];
describe('schemas/v1 matches the zod schemas', () => {
    it('has no missing file', () => {
        const missing = [...expected.keys()].filter((file) => !committed.includes(file));
        if (missing.length > 0)
            throw new Error(`Missing from schemas/v1: ${missing.join(', ')}. ${FIX}`);
    });
    it('has no extra file', () => {
        const extra = committed.filter((file) => !expected.has(file));
        if (extra.length > 0)
            throw new Error(`Not generated from zod, yet in schemas/v1: ${extra.join(', ')}. ${FIX}`);
    });
    it('has no stale file', () => {
        const stale = committed.filter((file) => expected.has(file) && fs.readFileSync(path.join(dir, file), 'utf8') !== expected.get(file));
        if (stale.length > 0)
            throw new Error(`Out of date in schemas/v1: ${stale.join(', ')}. ${FIX}`);
    });
});
//# sourceMappingURL=schemas-drift.test.js.map