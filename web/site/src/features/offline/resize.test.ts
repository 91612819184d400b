import { describe, expect, it } from 'vitest';
import { fitWithin } from './resize';

describe('fitWithin', () => {
  it('scales the longest side down to 2048 and keeps the shape', () => {
    expect(fitWithin(4032, 3024)).toEqual({ width: 2048, height: 1536 });
    expect(fitWithin(3000, 4000)).toEqual({ width: 1536, height: 2048 });
  });
  it('never enlarges', () => {
    expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600 });
  });
});
