/** A box of the drawing (a region), by its corners. */
export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/**
 * Moves boxes apart until no two overlap (with `gap` between them): each overlapping pair is pushed
 * apart, half each (a pixel beyond touching), along the axis where they overlap least, until a round finds no overlap (or
 * `maxRounds` pass). The force layout keeps nodes apart but not the region boxes drawn around them;
 * this makes "which region is this in" readable. Returns how far to move each box.
 */
export function separateBoxes(boxes: readonly Box[], gap = 24, maxRounds = 200): Array<{ x: number; y: number }> {
  const at = boxes.map((b) => ({ ...b }));
  const moved = boxes.map(() => ({ x: 0, y: 0 }));
  const shift = (i: number, x: number, y: number) => {
    const b = at[i]!;
    b.x1 += x;
    b.x2 += x;
    b.y1 += y;
    b.y2 += y;
    moved[i]!.x += x;
    moved[i]!.y += y;
  };
  for (let round = 0; round < maxRounds; round += 1) {
    let overlapping = false;
    for (let i = 0; i < at.length; i += 1) {
      for (let j = i + 1; j < at.length; j += 1) {
        const [a, b] = [at[i]!, at[j]!];
        const dx = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) + gap;
        const dy = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) + gap;
        if (dx <= 0 || dy <= 0) continue;
        overlapping = true;
        // Push along the axis of least overlap, in the direction the centres already lie (ties: by index).
        if (dx <= dy) {
          const sign = a.x1 + a.x2 <= b.x1 + b.x2 ? -1 : 1;
          shift(i, (sign * (dx + 1)) / 2, 0);
          shift(j, (-sign * (dx + 1)) / 2, 0);
        } else {
          const sign = a.y1 + a.y2 <= b.y1 + b.y2 ? -1 : 1;
          shift(i, 0, (sign * (dy + 1)) / 2);
          shift(j, 0, (-sign * (dy + 1)) / 2);
        }
      }
    }
    if (!overlapping) break;
  }
  return moved;
}

/** Whether any two boxes overlap (touching edges do not). */
export function anyOverlap(boxes: readonly Box[]): boolean {
  for (let i = 0; i < boxes.length; i += 1)
    for (let j = i + 1; j < boxes.length; j += 1) {
      const [a, b] = [boxes[i]!, boxes[j]!];
      if (Math.min(a.x2, b.x2) > Math.max(a.x1, b.x1) && Math.min(a.y2, b.y2) > Math.max(a.y1, b.y1)) return true;
    }
  return false;
}
