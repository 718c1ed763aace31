/** The `--device` flag shared by every command that may run a neural model. */
import { Option } from 'commander';
import type { DeviceChoice } from '../types';

const DEVICES: DeviceChoice[] = ['auto', 'cpu', 'webgpu', 'cuda'];

export function deviceOption(): Option {
  return new Option('--device <device>', 'device for neural models').choices(DEVICES).default('auto');
}
