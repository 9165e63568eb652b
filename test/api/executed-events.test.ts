import { buildSchema, parse, subscribe } from 'graphql';
import { subscribeToEvents } from '../../api/ws/executed-events';

const schema = buildSchema(`
  type Query { ok: Boolean }
  type Subscription { ticks: Int, broken: Int }
`);

/** A source whose end is observable, as PushStream's onEnd is. */
function source(values: number[]) {
  const state = { returned: false };
  async function* generate() {
    try {
      for (const value of values) yield value;
      await new Promise(() => undefined); // then idle, like a subscription waiting for news
    } finally {
      state.returned = true;
    }
  }
  return { state, stream: generate() };
}

function argsFor(query: string, values: number[]) {
  const { state, stream } = source(values);
  const rootValue = {
    ticks: () => stream,
    broken: () => stream,
  };
  return { state, args: { schema, document: parse(query), rootValue, fieldResolver: resolveTicks } };
}

// The payload is the event; `broken` fails on odd ones.
function resolveTicks(payload: unknown, _args: unknown, _context: unknown, info: { fieldName: string }): unknown {
  if (typeof payload === 'number') {
    if (info.fieldName === 'broken' && payload % 2 === 1) throw new Error(`odd ${payload}`);
    return payload;
  }
  return (payload as Record<string, () => unknown>)[info.fieldName]!();
}

async function take(iterator: AsyncIterator<unknown>, n: number): Promise<unknown[]> {
  const out = [];
  for (let i = 0; i < n; i++) out.push((await iterator.next()).value);
  return out;
}

describe('subscribeToEvents: graphql-js subscribe with a lean mapping', () => {
  test('yields what graphql-js yields, errors included', async () => {
    for (const query of ['subscription { ticks }', 'subscription { broken }']) {
      const ours = argsFor(query, [1, 2, 3]);
      const theirs = argsFor(query, [1, 2, 3]);
      const mine = (await subscribeToEvents(ours.args)) as AsyncGenerator;
      const reference = (await subscribe(theirs.args)) as AsyncGenerator;
      expect(JSON.stringify(await take(mine, 3))).toBe(JSON.stringify(await take(reference, 3)));
    }
  });

  test('return() ends the source, and later next() is done', async () => {
    const { state, args } = argsFor('subscription { ticks }', [7]);
    const events = (await subscribeToEvents(args)) as AsyncGenerator;
    expect(await events.next()).toEqual({ value: { data: { ticks: 7 } }, done: false });
    expect(await events.return(undefined)).toEqual({ value: undefined, done: true });
    expect(state.returned).toBe(true);
    expect(await events.next()).toEqual({ value: undefined, done: true });
  });

  test('a document that cannot subscribe gives its errors, not a stream', async () => {
    const { args } = argsFor('subscription { nope }', []);
    const result = await subscribeToEvents(args);
    expect(Symbol.asyncIterator in result).toBe(false);
    expect((result as { errors?: unknown[] }).errors?.length).toBeGreaterThan(0);
  });
});
