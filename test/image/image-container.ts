import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { AppProcess, ProcessExit } from '../blackbox/built-app';

const execFileAsync = promisify(execFile);

/** The image `npm run image:build` (scripts/build-image.sh) makes. */
export const IMAGE = process.env.RCC_IMAGE ?? 'redis-config-center:local';

/** The image's config as buildah reports it (`--format docker`: the HEALTHCHECK is kept). */
export interface ImageConfig {
  User?: string;
  Cmd?: string[];
  WorkingDir?: string;
  ExposedPorts?: Record<string, unknown>;
  Healthcheck?: { Test?: string[] };
}

async function buildah(args: string[], timeoutMs = 60_000): Promise<string> {
  const { stdout } = await execFileAsync('buildah', args, {
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/** Fails with what to do when buildah or the image is missing. */
export async function inspectImage(image = IMAGE): Promise<ImageConfig> {
  let out: string;
  try {
    out = await buildah(['inspect', '--type', 'image', image]);
  } catch (error) {
    throw new Error(
      `image ${image} not found (${(error as Error).message.split('\n')[0]}): ` +
        'build it first with npm run image:build (npm run test:container does both)',
    );
  }
  const parsed = JSON.parse(out) as { Docker?: { config?: ImageConfig } };
  return parsed.Docker?.config ?? {};
}

/** The image's size as buildah lists it (e.g. "297 MB"). */
export async function imageSize(image = IMAGE): Promise<string> {
  return (await buildah(['images', '--format', '{{.Size}}', image])).trim().split('\n')[0];
}

export interface RunResult extends ProcessExit {
  stdout: string;
  stderr: string;
}

/**
 * A working container of the image (`buildah from`): its commands run with
 * `buildah run --isolation chroot --network host`, as the image's user, in its working directory,
 * with only the variables given (plus the image's own ENV). The host's network: a redis-server on
 * the host's loopback is reachable, and the apps' ports are the host's.
 */
export class ImageContainer {
  private constructor(readonly name: string) {}

  static async create(label: string, image = IMAGE): Promise<ImageContainer> {
    const name = `rcc-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    await buildah(['from', '--pull-never', '--name', name, image]);
    return new ImageContainer(name);
  }

  private runArgs(command: string[], env: Record<string, string>): string[] {
    const vars = Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]);
    return [
      'run',
      '--isolation',
      'chroot',
      '--network',
      'host',
      ...vars,
      this.name,
      '--',
      ...command,
    ];
  }

  /** Runs a command to its end (bounded by `timeoutMs`). */
  run(command: string[], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('buildah', this.runArgs(command, env), {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${command.join(' ')} still runs after ${timeoutMs} ms:\n${stderr}`));
      }, timeoutMs);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr });
      });
    });
  }

  /** Starts a long-running command (an app), its output kept for failure messages. */
  start(name: string, command: string[], env: Record<string, string>): ImageProcess {
    const child = spawn('buildah', this.runArgs(command, env), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ImageProcess(name, child);
  }

  async remove(): Promise<void> {
    await buildah(['rm', this.name]);
  }
}

/**
 * An app running inside the image: the `buildah run` process, which takes SIGTERM as the end of
 * its command and kills the app it started (`stop()`). Starting an image takes longer than a
 * built app on the host, hence the longer wait for its first answer.
 */
export class ImageProcess extends AppProcess {
  override waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
    return super.waitForHttp(url, timeoutMs);
  }
}
