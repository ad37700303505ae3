import { topicMatches } from './topic-pattern';

describe('topicMatches (AMQP topic exchange semantics)', () => {
  it.each([
    ['#', 'primary.a.b', true],
    ['#', '', true],
    ['primary.#', 'primary', true],
    ['primary.#', 'primary.a.0._', true],
    ['primary.#', 'route.primary', false],
    ['route.index.#', 'route.index.x.y', true],
    ['route.index.#', 'route.indexes.x', false],
    ['*.a', 'x.a', true],
    ['*.a', 'a', false],
    ['*.a', 'x.y.a', false],
    ['primary.*.0.#', 'primary.t.0.wg.w', true],
    ['primary.*.0.#', 'primary.t.1.wg.w', false],
    ['#.completed', 'task.x.completed', true],
    ['#.completed', 'completed', true],
    ['a.#.z', 'a.z', true],
    ['a.#.z', 'a.b.c.z', true],
    ['a.#.z', 'a.b.c', false],
    ['a.#.#.z', 'a.b.z', true],
    ['a.b', 'a.b', true],
    ['a.b', 'a.b.c', false],
  ])('%s vs %s → %s', (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
  });
});
