import type { FitFunction } from './fit-jobs.js';
import { HttpProblem } from './http-errors.js';

/** Fits a PatchCore model with @vad/patchcore into the job's folder. */
export async function fitPatchcoreModel(request: Parameters<FitFunction>[0], host: { cacheDir: string }): Promise<Record<string, unknown>> {
  void request;
  void host;
  throw new HttpProblem(501, 'NotImplementedError', '@vad/patchcore does not offer fitting yet');
}

/** Loads the default backbone so the first request does not pay for it. */
export async function warmDefaultBackbone(host: { cacheDir: string }): Promise<string> {
  void host;
  return 'no default backbone to warm yet';
}
