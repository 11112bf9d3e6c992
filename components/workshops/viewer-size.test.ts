import { describe, expect, it } from 'vitest';
import { fitScale, minimumScale, parseSizeMessage } from './viewer-size';

describe('parseSizeMessage', () => {
  it('reads the learner’s size', () => {
    expect(parseSizeMessage('{"type":"size","cols":120,"rows":35}')).toEqual({ cols: 120, rows: 35 });
  });

  it('ignores other frames and sizes out of range', () => {
    expect(parseSizeMessage('{"type":"viewers","count":1}')).toBeNull();
    expect(parseSizeMessage('{"type":"size","cols":0,"rows":35}')).toBeNull();
    expect(parseSizeMessage('{"type":"size","cols":80.5,"rows":24}')).toBeNull();
    expect(parseSizeMessage('{"type":"size","cols":"80","rows":24}')).toBeNull();
    expect(parseSizeMessage('not json')).toBeNull();
    expect(parseSizeMessage(new ArrayBuffer(4))).toBeNull();
    expect(parseSizeMessage('null')).toBeNull();
  });
});

describe('fitScale', () => {
  it('shrinks a drawing wider or taller than the box, keeping its proportions', () => {
    expect(fitScale({ width: 1600, height: 500 }, { width: 800, height: 600 })).toBe(0.5);
    expect(fitScale({ width: 800, height: 1200 }, { width: 1000, height: 600 })).toBe(0.5);
  });

  it('never enlarges, and never goes below the minimum', () => {
    expect(fitScale({ width: 400, height: 300 }, { width: 1200, height: 900 })).toBe(1);
    expect(fitScale({ width: 10_000, height: 300 }, { width: 100, height: 900 })).toBe(minimumScale);
  });

  it('leaves the drawing alone while nothing is measured', () => {
    expect(fitScale({ width: 0, height: 0 }, { width: 800, height: 600 })).toBe(1);
    expect(fitScale({ width: 800, height: 600 }, { width: 0, height: 600 })).toBe(1);
  });
});
