import { z } from 'zod';
import { defineBlock, field } from '../blocks.js';

/**
 * Flow control: the steps in `next_steps` run at most once per `cooldown_seconds` per stream.
 * Time comes from the host's clock (`HostContext.clock`, `Date.now` by default). Roboflow can
 * instead derive time from `video_reference_image`'s frame number and fps; vad's images carry no
 * video metadata, so that property is accepted and the clock is used.
 */
export const rateLimiter = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/rate_limiter@v1',
  aliases: ['roboflow_core/rate_limiter@v1'],
  title: 'Rate Limiter',
  description: 'Runs the steps in next_steps only when at least cooldown_seconds have passed since they last ran in this stream.',
  manifest: {
    cooldown_seconds: field.literal(z.number().min(0).default(1), { description: 'The fewest seconds between two runs of next_steps' }),
    depends_on: field.selector(['*'], { description: 'Any output of the step just before this branch (orders this step after it)' }),
    next_steps: field.stepList({ description: 'Steps that run when the cooldown allows' }),
    video_reference_image: field.image({ optional: true, description: "Accepted for Roboflow compatibility; vad's images carry no frame timestamps, so the host clock is used" }),
  },
  outputs: {},
  flowControl: true,
  stateful: true,
  create: ({ properties, host }) => {
    const cooldownMs = (properties.cooldown_seconds ?? 1) * 1000;
    const now = host.clock ?? Date.now;
    let lastRunAt: number | undefined;
    return {
      run: () => {
        const time = now();
        if (lastRunAt !== undefined && time - lastRunAt < cooldownMs) return { continue: false };
        lastRunAt = time;
        return { continue: true };
      },
    };
  },
});
