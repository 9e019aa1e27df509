import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { randomUUID } from 'node:crypto';
import { InvalidInputError, type WorkflowDefinition } from '@vad/core';
import type { ServerContext } from './server-context.js';
import { readAnomalyMapFormat } from './run-request-body.js';
import { toErrorResponse } from './http-errors.js';
import { checkJsonDepth, checkWorkflowSize } from './workflow-limits.js';
import type { LeasedWorkflow } from './workflow-cache.js';

/**
 * `GET /vad/stream` (WebSocket): runs one workflow frame by frame for one stream id, so stateful
 * blocks (outlier windows, heat-map accumulators) keep their state across frames.
 *
 * Client → server: first `{"type": "start", "workspace": "examples", "workflow_id": "…"}` or
 * `{"type": "start", "specification": {…}}` (optional `stream_id`, `image_input`, `inputs`,
 * `anomaly_maps`); then frames, either binary messages (encoded JPEG/PNG bytes) or
 * `{"type": "frame", "image": {"type": "base64", "value": "…"}, "inputs": {…}}`.
 * Server → client: `{"type": "ready", …}`, then one `{"type": "result", "frame", "outputs",
 * "ms", "dropped"}` per processed frame (image outputs, such as the annotated frame, as base64
 * JPEG), or `{"type": "error", …}` in Roboflow's error shape. When frames arrive faster than the
 * workflow runs, only the newest waiting frame is kept (a live view wants the latest picture).
 */
export function registerStreamRoutes(app: FastifyInstance, context: ServerContext) {
  app.get('/vad/stream', { websocket: true }, (socket: WebSocket, request) => {
    context.metrics.streamsOpen.inc();
    let lease: LeasedWorkflow | undefined;
    let definition: WorkflowDefinition | undefined;
    let streamId = '';
    let imageInput = 'image';
    let baseInputs: Record<string, unknown> = {};
    let anomalyMaps: ReturnType<typeof readAnomalyMapFormat> = 'summary';
    let busy = false;
    let pending: { image: unknown; inputs: Record<string, unknown> } | undefined;
    let frame = 0;
    let dropped = 0;
    const controller = new AbortController();

    const send = (message: Record<string, unknown>) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    const sendError = (error: unknown, extra: Record<string, unknown> = {}) => {
      const { status, body } = toErrorResponse(error, { modelsDir: context.config.modelsDir, maxBodyBytes: context.config.maxBodyBytes });
      send({ type: 'error', ...extra, ...body, status });
    };

    const start = async (message: Record<string, unknown>) => {
      if (typeof message.workspace === 'string' && typeof message.workflow_id === 'string') {
        definition = (await context.store.get(message.workspace, message.workflow_id)).definition;
      } else if (message.specification && typeof message.specification === 'object') {
        definition = message.specification as WorkflowDefinition;
      } else {
        throw new InvalidInputError({ message: 'the start message needs "workspace" and "workflow_id", or "specification"' });
      }
      checkWorkflowSize(definition, context.config.maxWorkflowSteps);
      lease = context.workflows.acquire(definition);
      const images = lease.workflow.plan.inputs.filter((input) => input.type === 'image').map((input) => input.name);
      imageInput = typeof message.image_input === 'string' ? message.image_input : (images[0] ?? 'image');
      if (!images.includes(imageInput)) throw new InvalidInputError({ message: `the workflow has no image input "${imageInput}" (it has: ${images.join(', ') || 'none'})`, property: 'image_input' });
      streamId = typeof message.stream_id === 'string' && message.stream_id ? message.stream_id : randomUUID();
      baseInputs = (message.inputs && typeof message.inputs === 'object' ? message.inputs : {}) as Record<string, unknown>;
      anomalyMaps = readAnomalyMapFormat(message.anomaly_maps);
      send({ type: 'ready', stream_id: streamId, image_input: imageInput });
    };

    const drain = async () => {
      while (pending && definition) {
        const next = pending;
        pending = undefined;
        busy = true;
        const index = frame++;
        const started = performance.now();
        try {
          const response = await context.runs.execute(definition, { inputs: { ...baseInputs, ...next.inputs, [imageInput]: next.image }, anomaly_maps: anomalyMaps }, { signal: controller.signal, streamId });
          send({ type: 'result', frame: index, outputs: response.outputs[0] ?? {}, ...(response.warnings && { warnings: response.warnings }), ms: Number((performance.now() - started).toFixed(1)), dropped });
        } catch (error) {
          if (controller.signal.aborted) return;
          sendError(error, { frame: index });
        } finally {
          busy = false;
        }
      }
    };

    socket.on('message', (data: Buffer, isBinary: boolean) => {
      void (async () => {
        try {
          if (isBinary) {
            if (!definition) throw new InvalidInputError({ message: 'send a {"type": "start"} message before frames' });
            if (pending) dropped++;
            pending = { image: new Uint8Array(data), inputs: {} };
          } else {
            let message: Record<string, unknown>;
            try {
              message = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
            } catch {
              throw new InvalidInputError({ message: 'stream messages must be JSON text or binary image bytes' });
            }
            checkJsonDepth(message, 'the message');
            if (message.type === 'start') {
              if (definition) throw new InvalidInputError({ message: 'this stream has already started; open a new connection for another workflow' });
              await start(message);
              return;
            }
            if (message.type !== 'frame') throw new InvalidInputError({ message: `unknown message type ${JSON.stringify(message.type)} (use "start" or "frame")` });
            if (!definition) throw new InvalidInputError({ message: 'send a {"type": "start"} message before frames' });
            if (pending) dropped++;
            pending = { image: message.image, inputs: (message.inputs as Record<string, unknown>) ?? {} };
          }
          if (!busy) await drain();
        } catch (error) {
          sendError(error);
        }
      })();
    });

    socket.on('close', () => {
      context.metrics.streamsOpen.dec();
      controller.abort(new Error('the stream closed'));
      pending = undefined;
      lease?.release();
      lease = undefined;
      if (definition) context.runs.endStream(definition, streamId).catch((error: Error) => request.log.warn({ err: error }, 'resetting a stream failed'));
    });
  });
}
