import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { documented } from '@/lab-runner/api/environment';
import { allSettings, settingGroups, settingOf } from './settings';

describe('settingOf', () => {
  it('takes the default from what the schema makes of an unset variable', () => {
    const schema = documented(z.coerce.number().int().default(7), { description: 'how many' });
    expect(settingOf('COUNT', schema, 'runner')).toEqual({
      name: 'COUNT',
      group: 'runner',
      defaultText: '`7`',
      description: 'how many',
    });
    const flag = documented(
      z
        .enum(['true', 'false'])
        .default('false')
        .transform((value) => value === 'true'),
      { description: 'a flag', details: 'More.' },
    );
    expect(settingOf('FLAG', flag, 'web')).toMatchObject({ defaultText: '`false`', details: 'More.' });
  });

  it('says what an optional variable means while unset', () => {
    const optional = documented(z.string().optional(), { description: 'an image', unset: 'the built one' });
    expect(settingOf('IMAGE', optional, 'runner').defaultText).toBe('the built one');
    const plain = documented(z.string().optional(), { description: 'a file' });
    expect(settingOf('FILE', plain, 'shared').defaultText).toBe('unset');
  });

  it('refuses an undocumented variable, or a default that is also described as unset', () => {
    // documented() must wrap the finished schema: a .default() after it is a new, undocumented schema.
    const late = documented(z.string(), { description: 'late' }).default('x');
    expect(() => settingOf('LATE', late, 'web')).toThrowError(/LATE is not documented/);
    const both = documented(z.string().default('x'), { description: 'both', unset: 'nothing' });
    expect(() => settingOf('BOTH', both, 'web')).toThrowError(/BOTH has a default/);
  });
});

describe('allSettings', () => {
  it('lists each variable once, grouped in table order', () => {
    const settings = allSettings();
    const names = settings.map((setting) => setting.name);
    expect(new Set(names).size).toBe(names.length);
    const groupOrder = settings.map((setting) => settingGroups.indexOf(setting.group));
    expect(groupOrder).toEqual([...groupOrder].sort((a, b) => a - b));
    expect(settings.find((setting) => setting.name === 'RUNNER_SECRET')?.group).toBe('shared');
  });
});
