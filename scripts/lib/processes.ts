// The platform's own processes (API, worker, web): started as children, their output prefixed with
// their name (foreground) or written to a log file (detached), their pids recorded so that
// `./parley stop` and `./parley status` find them from another shell.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { isAlive, sleep, waitForExit } from './run.ts';

export type AppSpec = {
  name: string;
  /** Entry file relative to `cwd`, run with this Node (process.execPath). */
  entry: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
};

export type AppProcess = {
  name: string;
  pid: number;
  /** Resolves with the exit code (or 128+signal) when the process ends. */
  exited: Promise<number>;
  /** Last lines of output, for error messages. */
  tail(): string;
};

const COLORS = [36, 35, 33, 32, 34, 31];

export function prefixLines(name: string, index: number, stream: NodeJS.ReadableStream, out: NodeJS.WritableStream, keep: string[]): void {
  const label = process.stdout.isTTY ? `\x1b[${COLORS[index % COLORS.length]}m${name.padEnd(6)}|\x1b[0m ` : `${name.padEnd(6)}| `;
  readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
    keep.push(line);
    if (keep.length > 40) keep.shift();
    out.write(`${label}${line}\n`);
  });
}

/**
 * Starts an app. Foreground: output prefixed onto our stdout/stderr. Detached: output appended to
 * `logFile`, the process in a session of its own so it outlives us. Either way the child gets its
 * own process group, so a Ctrl-C reaches only us and we stop the children in order.
 */
export function startApp(spec: AppSpec, index: number, mode: { detached: boolean; logFile: string }): AppProcess {
  const keep: string[] = [];
  let child: ChildProcess;
  if (mode.detached) {
    const fd = openSync(mode.logFile, 'a');
    child = spawn(process.execPath, [spec.entry], { cwd: spec.cwd, env: spec.env, detached: true, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    child.unref();
  } else {
    child = spawn(process.execPath, [spec.entry], { cwd: spec.cwd, env: spec.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = createWriteStream(mode.logFile, { flags: 'a' });
    const tee = (stream: NodeJS.ReadableStream) => stream.on('data', (chunk) => log.write(chunk));
    tee(child.stdout!);
    tee(child.stderr!);
    prefixLines(spec.name, index, child.stdout!, process.stdout, keep);
    prefixLines(spec.name, index, child.stderr!, process.stderr, keep);
  }
  const exited = new Promise<number>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? os.constants.signals[signal] : 0)));
    child.on('error', () => resolve(127));
  });
  return {
    name: spec.name,
    pid: child.pid!,
    exited,
    tail: () => (mode.detached ? tailOfFile(mode.logFile) : keep.slice(-15).join('\n')),
  };
}

function tailOfFile(file: string): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}

/** Sends SIGTERM to a process group, then SIGKILL after `graceMs`. */
export async function stopGroup(pid: number, graceMs = 10_000): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  if (!isAlive(pid)) return;
  signal('SIGTERM');
  if (!(await waitForExit(pid, graceMs))) {
    signal('SIGKILL');
    await waitForExit(pid, 5_000);
  }
}

// --- the pid file ---

export type PidFile = Record<string, number>;

export async function writePids(file: string, pids: PidFile): Promise<void> {
  await fs.writeFile(file, JSON.stringify(pids, null, 2) + '\n');
}

/** Is `pid` alive and still a Node process (not a pid reused after a reboot)? */
export function isRunningApp(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0].endsWith('node');
  } catch {
    return false;
  }
}

export function readPids(file: string): PidFile {
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PidFile;
  } catch {
    return {};
  }
}

/**
 * Stops what a pid file lists: the foreground orchestrator first (it stops its own children and
 * services), then any app still alive. Returns the names of what was running.
 */
export async function stopFromPidFile(file: string): Promise<string[]> {
  const pids = readPids(file);
  const stopped: string[] = [];
  if (pids.platform && pids.platform !== process.pid && isRunningApp(pids.platform)) {
    process.kill(pids.platform, 'SIGTERM');
    await waitForExit(pids.platform, 30_000);
    stopped.push('platform');
  }
  await Promise.all(
    Object.entries(pids)
      .filter(([name, pid]) => name !== 'platform' && isRunningApp(pid))
      .map(async ([name, pid]) => {
        await stopGroup(pid);
        stopped.push(name);
      }),
  );
  await fs.rm(file, { force: true });
  return stopped;
}

/** Polls `url` until it answers with any HTTP response, or the process dies, or time runs out. */
export async function waitForHttp(url: string, app: AppProcess | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  app?.exited.then(() => (dead = true));
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      return;
    } catch {
      /* not yet */
    }
    if (dead) throw new Error(`${app!.name} exited before answering on ${url}:\n${app!.tail()}`);
    if (Date.now() > deadline) throw new Error(`no answer on ${url} after ${Math.round(timeoutMs / 1000)} s${app ? `:\n${app.tail()}` : ''}`);
    await sleep(250);
  }
}
