import { z } from 'zod';
import type { AnyBlock, FieldSpec, Manifest, OutputsSpec } from './blocks.js';
import { PluginLoadError } from './errors.js';

/** The blocks one engine knows, by type name and alias. Built by an explicit call; never global. */
export interface BlockRegistry {
  get(type: string): AnyBlock | undefined;
  /** Each block once (aliases not repeated), in registration order. */
  list(): readonly AnyBlock[];
}

export function createBlockRegistry(blocks: Iterable<AnyBlock>, options: { source?: (block: AnyBlock) => string } = {}): BlockRegistry {
  const byName = new Map<string, AnyBlock>();
  const unique: AnyBlock[] = [];
  for (const block of blocks) {
    if (block?.specificationVersion !== 'v1') {
      throw new PluginLoadError({ message: `block ${JSON.stringify((block as { type?: string })?.type ?? block)} has specificationVersion ${JSON.stringify(block?.specificationVersion)}; this engine runs 'v1'` });
    }
    for (const name of [block.type, ...(block.aliases ?? [])]) {
      const existing = byName.get(name);
      if (existing && existing !== block) {
        const from = options.source ? ` (from ${options.source(existing)} and ${options.source(block)})` : '';
        throw new PluginLoadError({ message: `two blocks answer to the type name "${name}"${from}` });
      }
      byName.set(name, block);
    }
    if (!unique.includes(block)) unique.push(block);
  }
  return { get: (type) => byName.get(type), list: () => unique };
}

function fieldJsonSchema(spec: FieldSpec): Record<string, unknown> {
  const selector = { type: 'string', pattern: '^\\$(inputs|steps)\\.', 'x-kinds': spec.kinds };
  const description = spec.description ? { description: spec.description } : {};
  if (spec.accepts === 'selector') return { ...selector, ...description };
  if (spec.accepts === 'step_list') return { type: 'array', items: { type: 'string', pattern: '^\\$steps\\.' }, ...description };
  let literal: Record<string, unknown>;
  try {
    literal = z.toJSONSchema(spec.schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    delete literal.$schema;
  } catch {
    literal = {};
  }
  if (spec.accepts === 'literal') return { ...literal, ...description };
  if (spec.accepts === 'list') return { type: 'array', items: { anyOf: [literal, selector] }, ...(spec.minItems !== undefined && { minItems: spec.minItems }), ...description };
  if (spec.accepts === 'dictionary') {
    return { anyOf: [{ type: 'object', additionalProperties: { anyOf: [literal, selector] } }, { ...selector, 'x-kinds': ['dictionary'] }], ...description };
  }
  return { anyOf: [literal, selector], ...description, ...('default' in literal ? { default: literal.default } : {}) };
}

/** One block's manifest as JSON Schema, with its outputs and kinds (Roboflow's describe shape). */
export function describeBlock(block: AnyBlock) {
  const properties: Record<string, unknown> = { type: { type: 'string', enum: [block.type, ...(block.aliases ?? [])] }, name: { type: 'string' } };
  const required = ['type', 'name'];
  // A required property with aliases is required under one of its names.
  const requiredOneOf: { required: string[] }[][] = [];
  for (const [name, spec] of Object.entries(block.manifest as Manifest)) {
    properties[name] = fieldJsonSchema(spec);
    for (const alias of spec.aliases ?? []) properties[alias] = { ...fieldJsonSchema(spec), description: `Another name for "${name}".` };
    if (spec.optional) continue;
    if (!spec.aliases?.length) required.push(name);
    else requiredOneOf.push([name, ...(spec.aliases ?? [])].map((n) => ({ required: [n] })));
  }
  return {
    manifest_type_identifier: block.type,
    manifest_type_identifier_aliases: block.aliases ?? [],
    human_friendly_block_name: block.title,
    block_schema: {
      type: 'object',
      title: block.title,
      description: block.description,
      properties,
      required,
      ...(requiredOneOf.length > 0 ? { allOf: requiredOneOf.map((anyOf) => ({ anyOf })) } : {}),
      additionalProperties: false,
    },
    outputs_manifest: Object.entries(block.outputs as OutputsSpec).map(([name, output]) => ({ name, kind: output.kinds.map((kind) => ({ name: kind })) })),
    dimensionality: block.dimensionality ?? 'keep',
    stateful: block.stateful ?? false,
  };
}

/** Every block's manifest, for `vad blocks` and `/workflows/blocks/describe`. */
export function describe(registry: BlockRegistry) {
  const blocks = registry.list().map(describeBlock);
  const kinds = [...new Set(blocks.flatMap((b) => [...b.outputs_manifest.flatMap((o) => o.kind.map((k) => k.name))]))].sort();
  return { blocks, kinds_connections: {}, declared_kinds: kinds.map((name) => ({ name })) };
}
