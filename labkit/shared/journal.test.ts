import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { Journal, JournalCorruptError } from './journal';

const tempDir = tempDirsForEachTest('labkit-journal-');

type Event = { n: number; text?: string };

function replayAll(file: string): Event[] {
  const events: Event[] = [];
  Journal.open<Event>(file, (event) => events.push(event)).close();
  return events;
}

describe('Journal', () => {
  it('replays what was appended, in order, after a reopen (and makes its folder)', () => {
    const file = path.join(tempDir(), 'nested', 'service.jsonl');
    const journal = Journal.open<Event>(file, () => undefined);
    journal.append({ n: 1 });
    journal.append({ n: 2, text: 'naïve ✓ line\nbreak' });
    journal.close();
    expect(replayAll(file)).toEqual([{ n: 1 }, { n: 2, text: 'naïve ✓ line\nbreak' }]);
  });

  it('drops a torn last line from a crash and keeps appending after the last complete one', () => {
    const file = path.join(tempDir(), 'service.jsonl');
    fs.writeFileSync(file, '{"n":1,"text":"é"}\n{"n":2');
    const journal = Journal.open<Event>(file, () => undefined);
    journal.append({ n: 3 });
    journal.close();
    expect(replayAll(file)).toEqual([{ n: 1, text: 'é' }, { n: 3 }]);
  });

  it('drops an unparsable last line that did end with a newline', () => {
    const file = path.join(tempDir(), 'service.jsonl');
    fs.writeFileSync(file, '{"n":1}\n{"n":\n');
    expect(replayAll(file)).toEqual([{ n: 1 }]);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"n":1}\n');
  });

  it('refuses to open a journal corrupted before its end, naming the file and byte', () => {
    const file = path.join(tempDir(), 'service.jsonl');
    fs.writeFileSync(file, '{"n":1}\nnot json\n{"n":2}\n');
    expect(() => Journal.open<Event>(file, () => undefined)).toThrowError(JournalCorruptError);
    expect(() => Journal.open<Event>(file, () => undefined)).toThrowError(
      /service\.jsonl is corrupt at byte 8/,
    );
  });

  it('refuses appends once closed', () => {
    const journal = Journal.open<Event>(path.join(tempDir(), 'service.jsonl'), () => undefined);
    journal.close();
    expect(() => journal.append({ n: 1 })).toThrowError(/closed/);
  });
});
