import type { AbortSignalLike } from './ports/clock';

/**
 * A minimal abort signal and its controller in one, so core needs neither DOM nor Node typings
 * for AbortController (and callers skip its EventTarget machinery). Listeners are kept only once
 * one is added: most signals are made and dropped without any.
 */
export class Abort implements AbortSignalLike {
  aborted = false;
  private listeners: Set<() => void> | undefined;

  addEventListener(_type: 'abort', listener: () => void): void {
    if (this.aborted) listener();
    else (this.listeners ??= new Set()).add(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    this.listeners?.delete(listener);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const listener of listeners) listener();
  }
}
