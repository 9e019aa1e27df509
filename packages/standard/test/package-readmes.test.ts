import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { coreBlocks, type AnyBlock } from '@vad/core';
import { cvBlocks } from '@vad/blocks-cv';
import { dataBlocks } from '@vad/blocks-data';
import { detectionBlocks } from '@vad/blocks-detection';
import { embeddingBlocks } from '@vad/blocks-embedding';
import { ocrBlocks } from '@vad/blocks-ocr';
import { industrialBlocks } from '@vad/blocks-industrial';
import { outlierBlocks } from '@vad/outliers';
import { patchcoreBlocks } from '@vad/patchcore';
import { visualizeBlocks } from '@vad/visualize';
import { describe, expect, it } from 'vitest';

const packages = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const blocksOf: Record<string, () => AnyBlock[]> = {
  core: coreBlocks,
  'blocks-cv': cvBlocks,
  'blocks-data': dataBlocks,
  'blocks-detection': detectionBlocks,
  'blocks-embedding': embeddingBlocks,
  'blocks-ocr': ocrBlocks,
  'blocks-industrial': industrialBlocks,
  outliers: outlierBlocks,
  patchcore: patchcoreBlocks,
  visualize: visualizeBlocks,
};

/** A package's README is where a user looks first for what it ships: every block must be named there. */
describe('package READMEs', () => {
  for (const [name, blocks] of Object.entries(blocksOf)) {
    it(`packages/${name}/README.md names every block of the package`, () => {
      const readme = readFileSync(path.join(packages, name, 'README.md'), 'utf8');
      const types = blocks().map((block) => block.type);
      expect(types.length).toBeGreaterThan(0);
      expect(types.filter((type) => !readme.includes(`\`${type}\``)), 'blocks the README does not name').toEqual([]);
    });
  }
});
