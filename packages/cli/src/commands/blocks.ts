import { describe } from '@vad/core';
import { createStandardRegistry } from '@vad/standard';

/** Lists installed blocks (standard and plugins); `json` prints the full describe document. */
export async function blocksCommand(options: { json?: boolean }, print: (text: string) => void): Promise<void> {
  const { registry, sources } = await createStandardRegistry();
  if (options.json) {
    print(JSON.stringify(describe(registry), null, 2));
    return;
  }
  const rows = registry.list().map((block) => {
    const aliases = block.aliases?.length ? `  (also ${block.aliases.join(', ')})` : '';
    const source = sources.get(block) ?? '';
    const from = source.startsWith('plugin:') ? `  [${source}]` : '';
    return `${block.type.padEnd(44)} ${block.title}${aliases}${from}`;
  });
  print(rows.join('\n'));
}
