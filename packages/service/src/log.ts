type Level = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export type Logger = (level: Level, message: string, fields?: Readonly<Record<string, unknown>>) => void;

/** Structured JSON logs, one line each, on stdout. */
export const jsonLogger =
  (minimum: Level, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger =>
  (level, message, fields = {}) => {
    if (RANK[level] < RANK[minimum]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
  };

export const errorFields = (error: unknown) =>
  error instanceof Error ? { error: error.message, stack: error.stack } : { error: String(error) };
