import { describe, expect, it } from 'vitest';
import { pageCount, parseUserQuery, userQueryHref } from './user-query';

describe('parseUserQuery', () => {
  it('reads the search and the page', () => {
    expect(parseUserQuery({ q: '  ada ', page: '3' })).toEqual({ search: 'ada', page: 3 });
  });

  it('falls back to everyone on the first page for missing or bad values', () => {
    expect(parseUserQuery({})).toEqual({ search: '', page: 1 });
    expect(parseUserQuery({ page: '-2' })).toEqual({ search: '', page: 1 });
    expect(parseUserQuery({ page: 'abc' })).toEqual({ search: '', page: 1 });
    expect(parseUserQuery({ page: '1.5' })).toEqual({ search: '', page: 1 });
    expect(parseUserQuery({ q: 'x'.repeat(500) })).toEqual({ search: '', page: 1 });
  });

  it('takes the first of repeated parameters', () => {
    expect(parseUserQuery({ q: ['a', 'b'], page: ['2', '9'] })).toEqual({ search: 'a', page: 2 });
  });
});

describe('userQueryHref', () => {
  it('keeps the search and leaves out the first page', () => {
    expect(userQueryHref({ search: '', page: 1 })).toBe('/admin/users');
    expect(userQueryHref({ search: 'ada lovelace', page: 1 })).toBe('/admin/users?q=ada+lovelace');
    expect(userQueryHref({ search: 'a&b', page: 2 })).toBe('/admin/users?q=a%26b&page=2');
  });
});

describe('pageCount', () => {
  it('is at least one page', () => {
    expect(pageCount(0)).toBe(1);
    expect(pageCount(25)).toBe(1);
    expect(pageCount(26)).toBe(2);
  });
});
