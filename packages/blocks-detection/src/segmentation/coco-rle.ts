// COCO RLE lives in @vad/core, so visualizations and classical-CV blocks read the same masks.
export { compressCounts, decodeRle, decompressCounts, encodeMask, labelRuns, type CocoRle } from '@vad/core';
