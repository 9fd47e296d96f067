/**
 * Wraps a D1 session so that every query (`run`, `all`, `first`, `raw` of a prepared statement, and `batch`) runs
 * through `around(kind, sql, query, statement, args)`, where `sql` is the statement's text (a batch's statements joined by newlines).
 * Used by the dev-only instruments: fault injection (chaos.ts) and the query trace (d1-trace.ts). D1's batch() takes
 * only its own statements, so wrapped statements are mapped back to the real ones.
 */
type Statement = D1PreparedStatement;

export type QueryKind = 'run' | 'all' | 'first' | 'raw' | 'batch';
/** `statement` and `args`: the real statement and the call's arguments, for an instrument that runs it otherwise. */
export type Around = <T>(kind: QueryKind, sql: string, query: () => Promise<T>, statement?: Statement, args?: unknown[]) => Promise<T>;

export function wrapD1Session<S extends Pick<D1Database, 'prepare' | 'batch'>>(session: S, around: Around): S {
  /** Wrapped statements → the real ones and their SQL. */
  const real = new WeakMap<object, { statement: Statement; sql: string }>();

  const wrapStatement = (statement: Statement, sql: string): Statement => {
    const wrapped = new Proxy(statement, {
      get(target, prop, receiver) {
        if (prop === 'bind') return (...values: unknown[]) => wrapStatement(target.bind(...values), sql);
        if (prop === 'run' || prop === 'all' || prop === 'first' || prop === 'raw') {
          const method = Reflect.get(target, prop, receiver) as (...args: unknown[]) => Promise<unknown>;
          return (...args: unknown[]) => around(prop, sql, () => method.apply(target, args), target, args);
        }
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    real.set(wrapped, { statement, sql });
    return wrapped;
  };

  return new Proxy(session, {
    get(target, prop) {
      if (prop === 'prepare') return (query: string) => wrapStatement(target.prepare(query), query);
      if (prop === 'batch') {
        return <T>(statements: Statement[]) =>
          around(
            'batch',
            statements.map((s) => real.get(s)?.sql ?? '').join('\n'),
            () => target.batch<T>(statements.map((s) => real.get(s)?.statement ?? s)),
          );
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
