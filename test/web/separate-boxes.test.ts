import { describe, expect, it } from 'vitest';
import { anyOverlap, separateBoxes, type Box } from '../../src/web/separate-boxes.js';

const moved = (boxes: Box[], gap = 24) =>
  separateBoxes(boxes, gap).map((d, i) => ({
    x1: boxes[i]!.x1 + d.x,
    x2: boxes[i]!.x2 + d.x,
    y1: boxes[i]!.y1 + d.y,
    y2: boxes[i]!.y2 + d.y,
  }));

describe('region boxes kept apart (issue 15, item 2)', () => {
  it('moves overlapping boxes apart, leaving the gap between them', () => {
    const boxes = [
      { x1: 0, y1: 0, x2: 100, y2: 100 },
      { x1: 50, y1: 10, x2: 150, y2: 90 },
    ];
    expect(anyOverlap(boxes)).toBe(true);
    const after = moved(boxes);
    expect(anyOverlap(after)).toBe(false);
    expect(after[1]!.x1 - after[0]!.x2).toBeCloseTo(25);
  });

  it('leaves boxes that do not overlap where they are', () => {
    const boxes = [
      { x1: 0, y1: 0, x2: 10, y2: 10 },
      { x1: 100, y1: 0, x2: 110, y2: 10 },
    ];
    expect(separateBoxes(boxes)).toEqual([
      { x: 0, y: 0 },
      { x: 0, y: 0 },
    ]);
  });

  it('untangles a pile of eight boxes drawn on top of each other (the hairball neighbourhood)', () => {
    const boxes = Array.from({ length: 8 }, (_, i) => ({ x1: i * 7, y1: i * 5, x2: i * 7 + 200, y2: i * 5 + 120 }));
    expect(anyOverlap(moved(boxes, 0))).toBe(false);
  });
});
