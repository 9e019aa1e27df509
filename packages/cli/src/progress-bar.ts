/** A one-line progress bar on a terminal (stderr); plain lines when not a TTY (CI logs). */
export function createProgressBar(write: (text: string) => void = (text) => process.stderr.write(text), isTty = Boolean(process.stderr.isTTY)) {
  let lastLine = '';
  return {
    update(phase: string, done: number, total: number) {
      const fraction = total > 0 ? Math.min(1, done / total) : 0;
      const width = 30;
      const filled = Math.round(fraction * width);
      const line = `${phase.padEnd(12)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
      if (isTty) write(`\r${line}`);
      else if (done === total || line.slice(0, 14) !== lastLine.slice(0, 14)) write(`${line}\n`);
      lastLine = line;
    },
    finish() {
      if (isTty && lastLine) write('\n');
    },
  };
}
