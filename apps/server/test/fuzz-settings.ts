import { expect } from 'vitest';

/** Seeded and bounded: the same draw every run unless VAD_FUZZ_SEED changes it. */
export const fuzzSettings = {
  seed: Number(process.env.VAD_FUZZ_SEED ?? 20261203),
  workflowRuns: Number(process.env.VAD_FUZZ_RUNS ?? 10_000),
  imageRuns: Number(process.env.VAD_FUZZ_IMAGE_RUNS ?? 2_000),
};

export interface Injected {
  status: number;
  body: any;
}

/**
 * An error a person can act on: Roboflow's shape, a message, and where the problem is — the
 * `context` names the step, property, selector or input (a whole-request problem such as
 * malformed JSON names the request).
 */
export function expectLocatedError(response: Injected, subject: unknown): void {
  const { body } = response;
  const said = JSON.stringify(body).slice(0, 600);
  const input = JSON.stringify(subject)?.slice(0, 300);
  expect(Object.keys(body), said).toEqual(expect.arrayContaining(['message', 'error_type', 'context', 'inner_error_type', 'inner_error_message']));
  expect(typeof body.message === 'string' && body.message.length > 0, said).toBe(true);
  expect(typeof body.context === 'string' && body.context.length > 0, `${said}\nfrom ${input}`).toBe(true);
  if (body.blocks_errors) expect(typeof body.blocks_errors[0]?.block_id, said).toBe('string');
}
