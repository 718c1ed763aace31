/** A real engine wrapped to count upscale calls (what "processed once" tests assert on). */
import { createEngine, type Engine } from '../../plugin/engine';

export function countingEngine(): Engine & { calls: number } {
  const inner = createEngine();
  const engine = {
    calls: 0,
    upscale: (...args: Parameters<Engine['upscale']>) => {
      engine.calls++;
      return inner.upscale(...args);
    },
    resize: inner.resize.bind(inner),
    checkModel: inner.checkModel.bind(inner),
    close: inner.close.bind(inner),
  };
  return engine;
}
