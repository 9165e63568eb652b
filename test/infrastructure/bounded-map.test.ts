import { BoundedMap } from '../../infrastructure/mongo/repositories/bounded-map';

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
});
