// The agent ticket view's long-thread window (web/src/routes/(agent)/agent/tickets/[number]/thread.ts):
// which newest-N articles the URL asks for, widening to a permalinked article, the next step.
import { describe, expect, it } from 'vitest';
import { articleIdFromHash, nextWindow, requestedWindow, THREAD_MAX, THREAD_PAGE, windowFor } from '../../web/src/routes/(agent)/agent/tickets/[number]/thread.ts';

const url = (q: string) => new URL(`http://x.localhost/agent/tickets/1${q}`);

describe('thread window', () => {
  it('defaults to the newest page; ?thread=N widens, all = the API maximum, nonsense is ignored', () => {
    expect(requestedWindow(url(''))).toBe(THREAD_PAGE);
    expect(requestedWindow(url('?thread=75'))).toBe(75);
    expect(requestedWindow(url('?thread=all'))).toBe(THREAD_MAX);
    expect(requestedWindow(url('?thread=100000'))).toBe(THREAD_MAX);
    for (const q of ['?thread=3', '?thread=-5', '?thread=abc', '?thread=7.5']) expect(requestedWindow(url(q))).toBe(THREAD_PAGE);
  });

  it('widens to include a permalinked article, and only then', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `a${i}`);
    expect(windowFor(ids, 25, null)).toBe(25);
    expect(windowFor(ids, 25, 'a190')).toBe(25); // already among the newest 25
    expect(windowFor(ids, 25, 'a10')).toBe(190);
    expect(windowFor(ids, 25, 'a0')).toBe(200);
    expect(windowFor(ids, 25, 'unknown')).toBe(25);
    expect(windowFor(ids, 250, 'a150')).toBe(250);
  });

  it('steps by 50 earlier articles, or all when fewer are left', () => {
    expect(nextWindow(25, 175)).toBe('75');
    expect(nextWindow(25, 50)).toBe('all');
    expect(nextWindow(75, 5)).toBe('all');
  });

  it('reads #article-<id> hashes only', () => {
    expect(articleIdFromHash('#article-01a242e9-f316-7354-913e-0dd76400a5fc')).toBe('01a242e9-f316-7354-913e-0dd76400a5fc');
    expect(articleIdFromHash('#compose')).toBeNull();
    expect(articleIdFromHash('#article-"><x')).toBeNull();
    expect(articleIdFromHash('')).toBeNull();
  });
});
