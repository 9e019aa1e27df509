import { defineBlock, field, z } from '@vad/core';
import { createAppendLog, createFileNamer, writeNewFileAtomically, type AppendLog } from './sink-files.js';

const withNewline = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Roboflow's Local File Sink. `separate_files`: each content its own file
 * `<prefix>_<timestamp>.<file_type>`, written whole or not at all (a temporary file, then linked
 * into place). `append_log`: contents appended, whole lines per run, to one file per stream until
 * it holds `max_entries_per_file` entries, then a new one; a CSV's header row is kept only in the
 * file's first entry, and JSON is rewritten on one line into a `.jsonl` file.
 *
 * vad has no setting that forbids or confines this block (Roboflow's
 * `ALLOW_WORKFLOW_BLOCKS_ACCESSING_LOCAL_STORAGE`, `WORKFLOW_BLOCKS_WRITE_DIRECTORY`): the process
 * that runs the workflow writes wherever `target_directory` says, with its own permissions.
 */
export const localFileSink = defineBlock({
  specificationVersion: 'v1',
  type: 'vad/local_file_sink@v1',
  aliases: ['roboflow_core/local_file_sink@v1'],
  title: 'Local File Sink',
  description: 'Saves text content (CSV, JSON, TXT) to files on the local file system: one file per run, or appended to a log file.',
  manifest: {
    content: field.selector<string>(['string'], { description: 'The text to save (e.g. a CSV Formatter\'s csv_content)' }),
    file_type: field.literal(z.enum(['csv', 'json', 'txt']).default('csv'), { description: 'Kind of content; the file extension (json appends as jsonl)' }),
    output_mode: field.literal(z.enum(['append_log', 'separate_files']), { description: 'One file per run, or appended to a log file' }),
    target_directory: field.parameter(z.string().min(1), ['string'], { description: 'Directory to write into (created when missing)' }),
    file_name_prefix: field.parameter(z.string().min(1).default('workflow_output'), ['string'], { description: 'Start of each file name' }),
    max_entries_per_file: field.parameter(z.number().int().min(1).default(1024), ['integer', 'string'], { description: 'append_log: entries per file before a new one starts' }),
  },
  outputs: { error_status: { kinds: ['boolean'] }, message: { kinds: ['string'] } },
  stateful: true,
  create: ({ properties, host }) => {
    const fileType = properties.file_type ?? 'csv';
    const mode = properties.output_mode ?? 'separate_files';
    const nameFile = createFileNamer(host.clock ?? Date.now);
    let log: AppendLog | undefined;

    async function saveSeparate(content: string, directory: string, prefix: string) {
      let target = nameFile(directory, prefix, fileType);
      try {
        for (let bump = 1; !(await writeNewFileAtomically(target, withNewline(content))); bump++) {
          if (bump > 1000) throw new Error('no free file name');
          target = nameFile(directory, prefix, fileType, bump);
        }
        return { error_status: false, message: 'Data saved successfully' };
      } catch (error) {
        return { error_status: true, message: `Could not save ${target}: ${messageOf(error)}` };
      }
    }

    async function append(content: string, directory: string, prefix: string, maxEntries: number) {
      let entry = content;
      if (fileType === 'json') {
        try {
          entry = JSON.stringify(JSON.parse(content));
        } catch {
          return { error_status: true, message: 'Invalid JSON content' };
        }
      }
      if (!log || log.entries >= maxEntries) {
        const previous = log;
        log = undefined;
        await previous?.close().catch(() => undefined);
        const target = nameFile(directory, prefix, fileType === 'json' ? 'jsonl' : fileType);
        try {
          log = await createAppendLog(target);
        } catch (error) {
          return { error_status: true, message: `Could not create new sink file ${target}: ${messageOf(error)}` };
        }
      } else if (fileType === 'csv') {
        entry = entry.split('\n').slice(1).join('\n'); // the header row is in the file already
      }
      try {
        await log.append(withNewline(entry));
      } catch (error) {
        return { error_status: true, message: `Could not append to ${log.path}: ${messageOf(error)}` };
      }
      log.entries++;
      return { error_status: false, message: 'Data saved successfully' };
    }

    return {
      run: ({ content, target_directory, file_name_prefix, max_entries_per_file }, context) => {
        const prefix = file_name_prefix ?? 'workflow_output';
        const result = mode === 'separate_files' ? saveSeparate(content, target_directory, prefix) : append(content, target_directory, prefix, Number(max_entries_per_file ?? 1024));
        return result.then((outcome) => {
          if (outcome.error_status) context.warn(outcome.message);
          return outcome;
        });
      },
      dispose: async () => {
        await log?.close();
        log = undefined;
      },
    };
  },
});
