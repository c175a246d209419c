/**
 * The composition root, one file per area: `shared` (table, keys, tokens,
 * sessions, mail) and the areas that build on it. Handlers import from here;
 * each builder is made on first use, so a function builds only what it calls.
 * Grants: a builder that reads a granted resource (route flags in
 * lambdas/routes.ts) says so in its comment.
 */

export * from './account';
export * from './admin';
export * from './apple-obligations';
export * from './factors';
export * from './federation';
export * from './oauth';
export * from './portal';
export * from './shared';
export * from './sign-in';
export * from './sso';
export * from './verification';
