/**
 * One value per process. Next.js bundles the request proxy and the routes separately, so a
 * module-level variable can exist twice in one server; anything that must be shared (the
 * store, its key, the cookie secret, in-flight refreshes) lives on globalThis instead.
 */
export function processSingleton<T>(name: string, create: () => T): T {
  const key = Symbol.for(`housecall.${name}`);
  const g = globalThis as unknown as Record<symbol, T | undefined>;
  let value = g[key];
  if (value === undefined) {
    value = create();
    g[key] = value;
  }
  return value;
}
