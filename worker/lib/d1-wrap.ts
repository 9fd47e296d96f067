/**
 * Wraps a D1 session so that every query (`run`, `all`, `first`, `raw` of a prepared statement, and `batch`) runs
 * through `around(kind, query)`. Used by the dev-only instruments: the query trace (d1-trace.ts). D1's batch()
 * takes only its own statements, so wrapped statements are mapped back to the real ones.
 */
type Statement = D1PreparedStatement;

export type QueryKind = 'run' | 'all' | 'first' | 'raw' | 'batch';
export type Around = <T>(kind: QueryKind, query: () => Promise<T>) => Promise<T>;

export function wrapD1Session<S extends Pick<D1Database, 'prepare' | 'batch'>>(session: S, around: Around): S {
  const real = new WeakMap<object, Statement>();

  const wrapStatement = (statement: Statement): Statement => {
    const wrapped = new Proxy(statement, {
      get(target, prop, receiver) {
        if (prop === 'bind') return (...values: unknown[]) => wrapStatement(target.bind(...values));
        if (prop === 'run' || prop === 'all' || prop === 'first' || prop === 'raw') {
          const method = Reflect.get(target, prop, receiver) as (...args: unknown[]) => Promise<unknown>;
          return (...args: unknown[]) => around(prop, () => method.apply(target, args));
        }
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    real.set(wrapped, statement);
    return wrapped;
  };

  return new Proxy(session, {
    get(target, prop) {
      if (prop === 'prepare') return (query: string) => wrapStatement(target.prepare(query));
      if (prop === 'batch') {
        return <T>(statements: Statement[]) => around('batch', () => target.batch<T>(statements.map((s) => real.get(s) ?? s)));
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
