import { describe, expect, it } from 'vitest';
import { autoCandidates, autoCandidatesFor, autoDefaultMargin, chooseCandidate, selectionTable, type AutoCandidateRecord } from './auto-preset.js';

const record = (name: string, pixelAuroc: number, aupro = 0.5): AutoCandidateRecord => ({
  name,
  preset: autoCandidates[name]!,
  validation: { pixelAuroc, aupro, imageAuroc: 0.8 },
  seconds: 1.5,
});

describe('chooseCandidate', () => {
  it('keeps the default when the best is within the margin of it, and says so', () => {
    const { winner, reason } = chooseCandidate([record('default', 0.95), record('fit-256', 0.95 + autoDefaultMargin / 2), record('texture', 0.9)]);
    expect(winner.name).toBe('default');
    expect(reason).toContain('the default kept');
    expect(reason).toContain('fit-256');
  });

  it('picks another candidate that beats the default by more than the margin', () => {
    const { winner, reason } = chooseCandidate([record('default', 0.9), record('texture', 0.9 + 2 * autoDefaultMargin), record('fit-256', 0.85)]);
    expect(winner.name).toBe('texture');
    expect(reason).toMatch(/highest pixel AUROC .*0\.910; next default 0\.900/);
  });

  it('picks the default when it is the best', () => {
    expect(chooseCandidate([record('texture', 0.8), record('default', 0.9)]).winner.name).toBe('default');
  });
});

describe('autoCandidatesFor', () => {
  it('tries tiles only on images whose longer side is at least 640 px', () => {
    expect(autoCandidatesFor(256)).not.toContain('tile-320');
    expect(autoCandidatesFor(800)).toContain('tile-320');
    expect(autoCandidatesFor(800)).toEqual(expect.arrayContaining(['default', 'default-plain', 'fit-256', 'texture']));
  });
});

describe('selectionTable', () => {
  it('has one row per candidate with its input and scores, the winner marked', () => {
    const table = selectionTable({ winner: 'fit-256', reason: 'r', candidates: [record('default', 0.9, 0.7), record('fit-256', 0.95, 0.8), record('tile-320', 0.91)], heldOut: 6, syntheticDefects: 36, candidateBankImages: 40 });
    const lines = table.split('\n');
    expect(lines[0]).toBe('auto: 6 held-out normal images, 36 synthetic defects, candidates fitted on 40 images');
    expect(lines[1]).toMatch(/candidate.*taps.*input.*pixel AUROC.*AUPRO/);
    expect(lines.at(-1)).toBe('chosen: fit-256 — r');
    expect(lines.find((line) => line.startsWith('* '))).toMatch(/fit-256 .*mixed1\+mixed5 .*long side 256 .*0\.950 .*0\.800/);
    expect(lines.find((line) => line.includes('tile-320'))).toContain('320 px tiles');
    expect(lines.filter((line) => line.startsWith('  ')).map((line) => line.trim().split(/\s+/)[0])).toEqual(expect.arrayContaining(['default', 'tile-320']));
  });
});
