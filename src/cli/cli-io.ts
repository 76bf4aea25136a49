/** Where a command writes: the process's streams in `borderline`, strings in tests. */
export interface OutputStream {
  write(text: string): void;
  /** A terminal: progress lines and fitted tables. */
  readonly isTTY: boolean;
  /** The terminal's width, when it has one. */
  readonly columns?: number | undefined;
}

/** What a command may touch of the world besides its options: its output streams and the environment. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
}

/** 0 done; 1 a service could not be reached or failed; 2 bad input; 3 open alerts found (a gate). */
export type ExitCode = 0 | 1 | 2 | 3;

/** Hands a command's exit code to the one place that decides the process's (src/cli/run-cli.ts). */
export type Finish = (code: ExitCode) => void;

/** A stream of the process, read live (a terminal may be resized). */
function processStream(stream: NodeJS.WriteStream): OutputStream {
  return {
    write: (text) => void stream.write(text),
    get isTTY() {
      return stream.isTTY === true;
    },
    get columns() {
      return stream.columns;
    },
  };
}

/** The process's own streams and environment. */
export function processIo(): CliIo {
  return { stdout: processStream(process.stdout), stderr: processStream(process.stderr), env: process.env };
}
