import path from 'node:path';
import { defineBlock, field, z } from '@vad/core';
import { sharedOpcConnections, type ConnectOptions, type ServerAddress } from './opc-connections.js';
import { messageOf, OpcWriteError } from './opc-errors.js';
import { writeValue, type NodeLookupMode, type WriteTarget } from './opc-write.js';
import { opcValueTypes, pythonStr, toOpcValue, type OpcValueType, type ScalarValue } from './opc-value.js';

interface Outcome {
  error_status: boolean;
  message: string;
}

interface WriteRequest {
  readonly address: ServerAddress;
  readonly target: WriteTarget;
  readonly value: ScalarValue;
  readonly valueType: OpcValueType;
  readonly options: ConnectOptions;
}

/** Background failures kept for the next run's warnings; later ones are only counted. */
const maxQueuedFailures = 10;

/**
 * Roboflow's OPC UA Writer Sink (`roboflow_enterprise/opc_writer_sink@v1`): writes one value to
 * a variable on an OPC UA server, so a PLC or SCADA system sees an inspection's verdict. Found by
 * browse path (`hierarchical`) or by string NodeId (`direct`, Ignition's tags), converted to the
 * OPC UA type `value_type` names as Roboflow's Python converts it.
 *
 * As Roboflow: `disable_sink` stops it; after a write, runs within `cooldown_seconds` write
 * nothing and say `throttling_status: true` (the cooldown is the step's, across streams, timed by
 * the host's clock); `fire_and_forget` (the default) returns at once and writes in the
 * background, so its `error_status` is always false. A background write that fails is not lost:
 * it goes to the host's logger (`process.emitWarning` when the host gives none) and into the
 * warnings of the step's next run.
 *
 * Sessions are pooled per server and credentials across steps and workflows, kept alive between
 * writes, and closed when the last step that used one is disposed. Security mode None, as
 * Roboflow's writer connects; the client's certificate is made on first use under the host's
 * `cacheDir` (`opcua-pki/`), else in node-opcua's default folder.
 */
export const opcWriterSink = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/opc_writer_sink@v1',
  aliases: ['roboflow_enterprise/opc_writer_sink@v1'],
  title: 'OPC UA Writer Sink',
  description: 'Writes a value (a verdict, a count, a status) to a variable on an OPC UA server, for PLCs and SCADA systems.',
  manifest: {
    url: field.parameter(z.string().min(1), ['string'], { description: 'The OPC UA server, e.g. opc.tcp://plc.local:4840/freeopcua/server/' }),
    namespace: field.parameter(z.union([z.string().min(1), z.number().int().min(0)]), ['string'], { description: 'The namespace URI, or its index ("2")' }),
    user_name: field.parameter(z.string().nullish(), ['string'], { description: 'User name (with password); anonymous when absent' }),
    password: field.parameter(z.string().nullish(), ['string'], { description: 'Password for user_name' }),
    object_name: field.parameter(z.string(), ['string'], { description: 'The object holding the variable; "/" separates levels ("Plant/Line1"); in direct mode the start of the NodeId string' }),
    variable_name: field.parameter(z.string(), ['string'], { description: 'The variable to write; in direct mode the end of the NodeId string (may be empty)' }),
    value: field.parameter(z.union([z.string(), z.boolean(), z.number()]), ['boolean', 'float', 'integer', 'string'], { description: 'The value to write' }),
    value_type: field.parameter(z.enum(opcValueTypes).default('String'), ['string'], { description: 'The OPC UA type to write the value as (Integer is Int64)' }),
    timeout: field.parameter(z.number().positive().default(2), ['integer'], { description: 'Seconds to wait for the server: each connection attempt and each request' }),
    fire_and_forget: field.parameter(z.boolean().default(true), ['boolean'], { description: 'Write in the background and return at once (error_status then always false)' }),
    disable_sink: field.parameter(z.boolean().default(false), ['boolean'], { description: 'Write nothing' }),
    cooldown_seconds: field.parameter(z.number().min(0).default(5), ['integer'], { description: 'The fewest seconds between two writes; 0 writes every run' }),
    node_lookup_mode: field.parameter(z.enum(['hierarchical', 'direct']).default('hierarchical'), ['string'], { description: 'hierarchical: browse path under Objects; direct: NodeId ns=<namespace>;s=<object_name>/<variable_name>' }),
    max_retries: field.parameter(z.number().int().min(1).default(3), ['integer'], { description: 'Connection attempts before giving up' }),
    retry_backoff_seconds: field.parameter(z.number().min(0).default(0.015), ['float'], { description: 'Wait before the second attempt, doubled before each later one' }),
  },
  outputs: {
    error_status: { kinds: ['boolean'], description: 'The write failed (always false in fire-and-forget mode)' },
    disabled: { kinds: ['boolean'], description: 'disable_sink stopped the write' },
    throttling_status: { kinds: ['boolean'], description: 'The cooldown stopped the write' },
    message: { kinds: ['string'], description: 'What happened, or what went wrong' },
  },
  create: ({ stepName, host }) => {
    const clock = host.clock ?? Date.now;
    const pool = sharedOpcConnections;
    /** This step's hold on the sessions it uses. */
    const holder = {};
    const environment = host.environment ?? process.env;
    const sessionTimeoutMs = secondsFromEnvironment(environment, 'OPC_SESSION_TIMEOUT_SECONDS', 60) * 1000;
    const sessionLimitBackoffMs = secondsFromEnvironment(environment, 'OPC_SESSION_EXHAUSTION_BACKOFF_SECONDS', 30) * 1000;
    const pkiFolder = host.cacheDir ? path.join(host.cacheDir, 'opcua-pki') : undefined;
    let lastWriteAt: number | undefined;
    const background = new Set<Promise<void>>();
    const failures: string[] = [];
    let uncountedFailures = 0;

    async function write(request: WriteRequest): Promise<Outcome> {
      const { address, target } = request;
      const shown = request.valueType === 'Boolean' && typeof request.value === 'string' ? pythonStr(toOpcValue(request.value, 'Boolean').value as boolean) : pythonStr(request.value);
      const failed = (error: unknown): Outcome => ({
        error_status: true,
        message: `Failed to write ${shown} to ${target.objectName}:${target.variableName} in ${address.url}. Error: ${messageOf(error)}`,
      });
      let typed;
      try {
        typed = toOpcValue(request.value, request.valueType);
      } catch (error) {
        return failed(OpcWriteError.isInstance(error) ? new OpcWriteError(error.category, `${error.message.replace(/^[A-Z ]+: /, '')} (value_type ${request.valueType})`, { keepsConnection: true }) : error);
      }
      for (let attempt = 0; ; attempt++) {
        let connection;
        try {
          connection = await pool.connection(holder, address, request.options);
        } catch (error) {
          return failed(error);
        }
        try {
          await writeValue(connection, target, typed, request.value, request.options.timeoutMs);
          return { error_status: false, message: 'Value set successfully' };
        } catch (error) {
          const keeps = OpcWriteError.isInstance(error) && error.keepsConnection;
          if (keeps) return failed(error);
          await pool.invalidate(address, connection);
          // A pooled session can die unseen (the server restarted): one more try on a new one.
          if (attempt > 0 || connection.handedOut <= 1) return failed(error);
        }
      }
    }

    function reportBackgroundFailure(message: string): void {
      const line = `step "${stepName}" (roboflow_enterprise/opc_writer_sink@v1): background write failed: ${message}`;
      try {
        if (!host.logger) throw new TypeError('no host logger');
        host.logger.warn(line);
      } catch {
        process.emitWarning(line, { code: 'VAD_OPC_WRITE_FAILED' });
      }
      if (failures.length < maxQueuedFailures) failures.push(message);
      else uncountedFailures++;
    }

    return {
      async run(inputs, context) {
        for (const message of failures.splice(0)) context.warn(`an earlier background write failed: ${message}`);
        if (uncountedFailures > 0) context.warn(`${uncountedFailures} more background writes failed (see the host's log)`);
        uncountedFailures = 0;

        if (inputs.disable_sink) return { disabled: true, throttling_status: false, error_status: false, message: 'Sink was disabled by parameter `disable_sink`' };
        const now = clock();
        if (lastWriteAt !== undefined && now - lastWriteAt < (inputs.cooldown_seconds ?? 5) * 1000) {
          return { disabled: false, throttling_status: true, error_status: false, message: 'Sink cooldown applies' };
        }
        lastWriteAt = now;

        const request = writeRequest(inputs, { pkiFolder, sessionTimeoutMs, sessionLimitBackoffMs });
        if (inputs.fire_and_forget ?? true) {
          const task: Promise<void> = write(request)
            .then((outcome) => {
              if (outcome.error_status) reportBackgroundFailure(outcome.message);
            })
            .finally(() => background.delete(task));
          background.add(task);
          return { disabled: false, throttling_status: false, error_status: false, message: 'Writing to the OPC UA server in the background task' };
        }
        const outcome = await write(request);
        if (outcome.error_status) context.warn(outcome.message);
        return { disabled: false, throttling_status: false, ...outcome };
      },
      async dispose() {
        // Background writes finish (each is bounded by its timeout) before their session closes.
        await Promise.allSettled([...background]);
        await pool.release(holder);
      },
    };
  },
});

function writeRequest(
  inputs: {
    url: string;
    namespace: string | number;
    user_name?: string | null | undefined;
    password?: string | null | undefined;
    object_name: string;
    variable_name: string;
    value: ScalarValue;
    value_type?: OpcValueType | undefined;
    timeout?: number | undefined;
    node_lookup_mode?: NodeLookupMode | undefined;
    max_retries?: number | undefined;
    retry_backoff_seconds?: number | undefined;
  },
  fixed: Pick<ConnectOptions, 'pkiFolder' | 'sessionTimeoutMs' | 'sessionLimitBackoffMs'>,
): WriteRequest {
  return {
    address: { url: inputs.url, userName: inputs.user_name ?? undefined, password: inputs.password ?? undefined },
    target: { namespace: String(inputs.namespace), objectName: inputs.object_name, variableName: inputs.variable_name, lookup: inputs.node_lookup_mode ?? 'hierarchical' },
    value: inputs.value,
    valueType: inputs.value_type ?? 'String',
    options: { timeoutMs: (inputs.timeout ?? 2) * 1000, attempts: inputs.max_retries ?? 3, backoffMs: (inputs.retry_backoff_seconds ?? 0.015) * 1000, ...fixed },
  };
}

/** Roboflow's `OPC_*_SECONDS` overrides: a positive finite number, else the default. */
function secondsFromEnvironment(environment: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const parsed = Number(environment[name]);
  return environment[name] !== undefined && Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}
