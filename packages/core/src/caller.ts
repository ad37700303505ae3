import { DomainError } from './errors';
import { formatExpression, satisfies, unsatisfied, type ScopeExpression } from './domain/scopes';

/**
 * Who is calling a use case. Authentication (Hawk, temporary credentials, authorizedScopes,
 * role expansion) belongs to the edge; the core only asks the caller to hold an expression.
 */
export interface Caller {
  readonly clientId: string;
  /** Throws DomainError('InsufficientScopes') unless the caller's scopes satisfy `expression`. */
  authorize(expression: ScopeExpression): void;
}

/** `{AnyOf: []}` is unsatisfiable, even by `*`. */
const hasEmptyAnyOf = (expression: ScopeExpression): boolean => {
  if (typeof expression === 'string') return false;
  if ('AnyOf' in expression) return expression.AnyOf.length === 0 || expression.AnyOf.some(hasEmptyAnyOf);
  return expression.AllOf.some(hasEmptyAnyOf);
};

/** A caller holding exactly `scopes` (already expanded: `assume:` scopes are matched literally). */
export const callerWithScopes = (scopes: readonly string[], clientId = 'library'): Caller => {
  // Copied so a later change to the caller's array cannot widen or narrow its rights.
  const held = Object.freeze([...scopes]);
  // `*` satisfies every expression: skip the scope algebra on the hot path of trusted callers.
  const holdsAll = held.includes('*');
  return {
    clientId,
    authorize(expression) {
      if (holdsAll && !hasEmptyAnyOf(expression)) return;
      // The common case passes: only a refusal needs the (costlier) list of what is missing.
      if (satisfies(held, expression)) return;
      const missing = unsatisfied(held, expression) ?? expression;
      throw new DomainError(
        'InsufficientScopes',
        `Client '${clientId}' lacks scopes: ${formatExpression(missing)} ` +
          `(required: ${formatExpression(expression)})`,
        { required: expression, missing },
      );
    },
  };
};

/** Holds `*`: for trusted in-process use (background workers, library callers that skip auth). */
export const unrestrictedCaller: Caller = callerWithScopes(['*'], 'root');
