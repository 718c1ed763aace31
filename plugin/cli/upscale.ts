/** `remaster upscale <in> <out>`: one image through the engine, for trying models and settings. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { usageError, type CommandIo, type CommandResult } from './command-result';
import { deviceOption, threadsOption } from './device-option';
import type { Engine } from '../engine';
import type { DeviceChoice, TextureKind } from '../types';
import { integerOption } from './number-option';

interface UpscaleFlags {
  scale: 2 | 4;
  model?: string;
  kind: TextureKind;
  seamless?: boolean;
  device: DeviceChoice;
  threads?: number;
  tile?: number;
  /** false with `--no-server` (read by bin/remaster.js before this parser runs; declared so it parses). */
  server: boolean;
}

export function parseScale(value: string): 2 | 4 {
  if (value !== '2' && value !== '4') throw new InvalidArgumentError('scale must be 2 or 4');
  return Number(value) as 2 | 4;
}

export const parseTile = integerOption({ min: 16, max: 4096, message: 'tile must be an integer from 16 to 4096' });

/** A model that cannot be used is bad usage (exit 2): one line, before any work, no help text. */
export async function checkModelForCli(engine: Engine, model: string, stderr?: (text: string) => void): Promise<void> {
  try {
    const info = await engine.checkModel(model);
    if (info && info.scale < 2) throw new Error(`${model}: model does not upscale (output is ${info.scale}x its input)`);
  } catch (err) {
    usageError((err as Error).message, stderr);
  }
}

export function registerUpscaleCommand(program: Command, _result: CommandResult, io: CommandIo): void {
  program
    .command('upscale')
    .description('upscale one image file (PNG, JPEG or WebP) with a model or Lanczos')
    .argument('<in>', 'input image')
    .argument('<out>', 'output image (format from its extension; may be the input)')
    .option('--scale <n>', 'upscale factor: 2 or 4', parseScale, 2 as 2 | 4)
    .option('--model <name|path>', 'lanczos, a shipped model name, or a path to an .onnx file (default: the shipped fast model for the scale)')
    .addOption(new Option('--kind <kind>', 'how to treat the values').choices(['color', 'normal', 'data']).default('color'))
    .option('--seamless', 'the image tiles: keep it tiling (wrap-around edges)')
    .addOption(deviceOption())
    .addOption(threadsOption())
    .option('--tile <n>', 'tile size in input texels for neural models', parseTile)
    .option('--no-server', 'run in this process even when `remaster serve` runs for the project (also: REMASTER_NO_SERVER=1)')
    .action((input: string, output: string, flags: UpscaleFlags) => upscaleFile(input, output, flags, io));
}

/**
 * The command's work, the same in a `remaster` process and in `remaster serve` (where `io` is the
 * client's connection and its engine a warm one; relative paths are the client's, see plugin/server/).
 */
async function upscaleFile(input: string, output: string, flags: UpscaleFlags, io: CommandIo): Promise<void> {
  const { defaultModel, imageFileWriter, readImageFile } = await import('../engine');
  const model = flags.model ?? defaultModel(flags.scale);
  io.server?.admit({ read: [input], write: [output], model });
  // The engine's device/model lines wait until the input has been read: an input that cannot be read
  // is the one line the user sees (exit 2, nothing written), not the third after two about the device.
  const held: string[] = [];
  let holding = true;
  const log = (line: string) => (holding ? held.push(line) : io.stderr(`${line}\n`));
  const lease = io.engine({ device: flags.device, threads: flags.threads, tileSize: flags.tile }, model, log);
  const { engine } = lease;
  let writer: Awaited<ReturnType<typeof imageFileWriter>> | undefined;
  try {
    // The model loads in the inference worker (started first, before this thread loads sharp) while this
    // thread decodes the input.
    const checking = checkModelForCli(engine, model, io.stderr);
    checking.catch(() => undefined);
    const image = await readImageFile(input).catch((err: Error) => usageError(err.message, io.stderr));
    holding = false;
    for (const line of held.splice(0)) io.stderr(`${line}\n`);
    await checking;
    // A PNG output is filtered and deflated strip by strip while the model computes the strips below.
    writer = await imageFileWriter(output);
    const started = Date.now();
    const result = await engine.upscale(image, { scale: flags.scale, model, kind: flags.kind, seamless: flags.seamless, onRows: writer.onRows });
    const seconds = (Date.now() - started) / 1000;
    // The sessions and their worker (onnxruntime's arena: ~30-60 MB at x4) go while the encoder starts,
    // not after it: the encode phase does not hold them, and the exit does not wait for them.
    const closing = lease.release();
    io.server?.beforeCommit(output);
    await writer.write(result.image);
    await closing;
    io.stdout(
      `${input} ${image.width}x${image.height} -> ${output} ${result.image.width}x${result.image.height} ` +
        `(${flags.kind}${flags.seamless ? ', seamless' : ''}) with ${result.engine} in ${seconds.toFixed(2)} s\n`,
    );
  } finally {
    writer?.abandon(); // a failed upscale: its encoded rows go, nothing is written
    await lease.release();
  }
}
