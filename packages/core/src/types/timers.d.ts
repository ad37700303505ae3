// Core compiles against ES2022 without DOM or Node typings; the global timers (present in every
// JavaScript host core runs on) are the only host API it uses. Declared as overloads, so they
// merge with Node's or DOM's declarations where a consumer has those.
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;
