import { describe, expect, it } from 'vitest';
import { resolvableKeysFirst } from '../src/supergraph.ts';

// The planner takes a subgraph's first key for @requires fetches back to it, resolvable or not
// (test/fixtures/differential/audit-keys-mashup.ts shows the wrong answer that gave).
describe('resolvableKeysFirst', () => {
  const keysOf = (sdl: string) => [...sdl.matchAll(/@join__type\(graph: (\w+), key: "([^"]+)"(?:, resolvable: (true|false))?\)/g)].map((m) => `${m[1]} ${m[2]}${m[3] === 'false' ? ' (not resolvable)' : ''}`);

  it("moves each type's non-resolvable keys after its resolvable ones, in order, and leaves other directives in place", () => {
    const sdl = `
      type A
        @join__type(graph: B, key: "c { one two }", resolvable: false)
        @join__type(graph: B, key: "id c { two three }", resolvable: true)
        @join__type(graph: B, key: "pId", resolvable: false)
        @join__type(graph: B, key: "id")
        @tag(name: "x")
      { id: ID! }
      type Other @join__type(graph: B, key: "id") { id: ID! }
    `;
    const out = resolvableKeysFirst(sdl);
    expect(keysOf(out)).toEqual(['B id c { two three }', 'B id', 'B c { one two } (not resolvable)', 'B pId (not resolvable)', 'B id']);
    expect(out).toMatch(/key: "pId", resolvable: false\)\s*@tag\(name: "x"\)/);
  });

  it('returns the supergraph as it is when no non-resolvable key comes first', () => {
    const ordered = 'type A @join__type(graph: B, key: "id") @join__type(graph: B, key: "pId", resolvable: false) { id: ID! }';
    expect(resolvableKeysFirst(ordered)).toBe(ordered);
    const none = 'type A @join__type(graph: B, key: "id") { id: ID! }';
    expect(resolvableKeysFirst(none)).toBe(none);
  });

  it('leaves text that does not parse to Supergraph.build, which reports it', () => {
    expect(resolvableKeysFirst('type A @join__type(resolvable: false')).toBe('type A @join__type(resolvable: false');
  });
});
