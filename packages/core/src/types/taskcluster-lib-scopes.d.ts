// taskcluster-lib-scopes ships no types; only the functions core uses are declared here.
declare module 'taskcluster-lib-scopes' {
  type Expression = string | { AllOf: Expression[] } | { AnyOf: Expression[] };

  /** Printable ASCII (0x20-0x7e) only. */
  export function validScope(scope: unknown): boolean;
  /** True if `scopeset` satisfies `expression` (a held `x*` matches every scope starting with x). */
  export function satisfiesExpression(scopeset: readonly string[], expression: Expression): boolean;
  /** The part of `expression` that `scopeset` does not cover, or null when it is satisfied. */
  export function removeGivenScopes(scopeset: readonly string[], expression: Expression): Expression | null;
}
