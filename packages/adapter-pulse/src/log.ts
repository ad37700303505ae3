export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Where the adapters report what they do (connections, retries, events on the in-process bus).
 * A plain function, so any logger fits behind it.
 */
export type Log = (level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>) => void;

export const silentLog: Log = () => undefined;

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
