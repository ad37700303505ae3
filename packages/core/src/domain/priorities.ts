/**
 * Task priorities, most urgent first (queue-inventory §3, §17). The order matters: a
 * `queue:create-task:<p>:...` scope authorizes p and every lower priority, and claimWork serves
 * higher priorities first.
 */
export const PRIORITIES = ['highest', 'very-high', 'high', 'medium', 'low', 'very-low', 'lowest'] as const;

export type Priority = (typeof PRIORITIES)[number];

/** What a request may carry: v87-era clients still send `normal`, an alias of `lowest`. */
export type PriorityInput = Priority | 'normal';

export const normalisePriority = (p: PriorityInput): Priority => (p === 'normal' ? 'lowest' : p);

/** Higher is more urgent: `highest` → 6, `lowest` (and `normal`) → 0. */
export const priorityRank = (p: PriorityInput): number =>
  PRIORITIES.length - 1 - PRIORITIES.indexOf(normalisePriority(p));

/**
 * Every priority from `highest` down to and including `p`. An unknown value yields `[]`, so
 * an expression built from it can never be satisfied (fails closed).
 */
export const prioritiesAtOrAbove = (p: PriorityInput): Priority[] =>
  PRIORITIES.slice(0, PRIORITIES.indexOf(normalisePriority(p)) + 1);
