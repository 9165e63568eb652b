import { BoundedMap } from '../../infrastructure/shared/bounded-map';

describe('BoundedMap', () => {
  it('keeps at most its capacity, forgetting the entry set longest ago', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 3); // setting again makes it the newest
    map.set('c', 4);
    expect(map.size).toBe(2);
    expect(map.get('b')).toBeUndefined();
    expect(map.get('a')).toBe(3);
    expect(map.get('c')).toBe(4);
  });

  it('counts a get as a use, a has not', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1);
    map.set('c', 3);
    expect(map.has('b')).toBe(false);
    expect(map.has('a')).toBe(true);
    map.set('d', 4); // `has` left 'a' the least recently used
    expect(map.has('a')).toBe(false);
    expect(map.has('c')).toBe(true);
  });
});
