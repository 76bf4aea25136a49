/** A single self-updating progress line on stderr (plain lines when stderr is not a terminal). */
export function createProgress(label: string, total: number) {
  const started = Date.now();
  let last = 0;
  return {
    update(done: number): void {
      const now = Date.now();
      if (now - last < 500 && done < total) return;
      last = now;
      const rate = done / Math.max((now - started) / 1000, 0.001);
      const line = `${label}: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${Math.round((100 * done) / total)}%) ${Math.round(rate).toLocaleString('en-US')}/s`;
      process.stderr.write(process.stderr.isTTY ? `\r${line}   ` : `${line}\n`);
    },
    done(): void {
      if (process.stderr.isTTY) process.stderr.write('\n');
    },
  };
}
