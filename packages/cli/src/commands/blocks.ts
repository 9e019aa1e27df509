import { describe } from '@vad/core';
import { createStandardRegistry } from '@vad/standard';

/** Lists installed blocks (standard and plugins); `json` prints the full describe document. */
export async function blocksCommand(options: { json?: boolean }, print: (text: string) => void): Promise<void> {
  const { registry, plugins } = await createStandardRegistry();
  if (options.json) {
    print(JSON.stringify(describe(registry), null, 2));
    return;
  }
  const origin = new Map(plugins.flatMap((p) => p.blocks.map((b) => [b, p.packageName] as const)));
  const rows = registry.list().map((block) => {
    const aliases = block.aliases?.length ? `  (also ${block.aliases.join(', ')})` : '';
    const from = origin.has(block) ? `  [plugin ${origin.get(block)}]` : '';
    return `${block.type.padEnd(44)} ${block.title}${aliases}${from}`;
  });
  print(rows.join('\n'));
}
