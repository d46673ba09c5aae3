// @vitest-environment happy-dom
import { expect, it } from 'vitest';
import { onRouteChange } from './history.ts';

it('reports path changes and keeps pushState/replaceState behaviour', () => {
  const seen: string[] = [];
  onRouteChange(() => seen.push(location.pathname));
  expect(history.pushState({ a: 1 }, '', '/p/1')).toBeUndefined();
  expect(history.state).toEqual({ a: 1 });
  history.replaceState(null, '', '/p/1?color=red#top');
  history.pushState(null, '', '/p/2');
  expect(seen).toEqual(['/p/1', '/p/2']);
});

it('a throwing listener never breaks the host navigation', () => {
  onRouteChange(() => {
    throw new Error('boom');
  });
  expect(() => history.pushState(null, '', '/q/9')).not.toThrow();
  expect(location.pathname).toBe('/q/9');
});
