import type { ModelSession, NodeSpec } from '@vad/models';

/** ONNX element types used by Cast. */
export const onnxTypes = { float: 1, uint8: 2, int64: 7, double: 11 } as const;

/** Collects the nodes of a small per-pixel graph; `op` returns the output's name. */
export function graphNodes() {
  const nodes: NodeSpec[] = [];
  const op = (type: string, inputs: string[], output: string, attributes?: NodeSpec['attributes']) => {
    nodes.push({ op: type, inputs, outputs: [output], ...(attributes && { attributes }) });
    return output;
  };
  return { nodes, op };
}

const sessions = new Map<string, Promise<ModelSession>>();

/**
 * One ONNX Runtime session per graph `key` (a graph depends on its kernel size or operation), made
 * once and kept. No graph rewrites: fused operators could round differently from the float32 steps
 * the graphs spell out.
 */
export function graphSession(key: string, build: () => Uint8Array): Promise<ModelSession> {
  let session = sessions.get(key);
  if (!session) {
    session = import('@vad/models').then(({ createSessionFromBytes }) => createSessionFromBytes(build(), { name: key, graphOptimization: 'basic' }));
    session.catch(() => sessions.delete(key));
    sessions.set(key, session);
  }
  return session;
}
